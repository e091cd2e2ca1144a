#Requires -Version 5.1
# The Clerk emulator, proven over HTTP: from the module's cmdlets, from Invoke-RestMethod and curl as other tools
# would use it, and from a fresh shell as a newcomer runs it. Each emulator is started here, in this process.
# The first Describe uses only what Windows PowerShell 5.1 has; the others use PowerShell 7's Invoke-RestMethod
# (-SkipHttpErrorCheck, -StatusCodeVariable, -ResponseHeadersVariable), and are skipped below 7.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop
    # What a SecureString holds (an emulator's key, a browser's token), as other tools would send it.
    function ConvertTo-PlainText {
        param([securestring] $Secure)
        (New-Object System.Net.NetworkCredential('', $Secure)).Password
    }

    $emulator = Start-ClerkEmulator
    $keyText = ConvertTo-PlainText $emulator.SecretKey
    $apiUrl = $emulator.ApiUrl.ToString()
    $user = $emulator.UserIds[0]

    # Invoke-RestMethod against the emulator as any other tool would call Clerk: the answer, its status and headers.
    function Invoke-Clerk {
        param([string] $Path, [string] $Method = 'Get', $Body, [hashtable] $Headers = @{}, [string] $Key = $keyText)
        $all = @{ Authorization = "Bearer $Key" }
        foreach ($name in $Headers.Keys) { $all[$name] = $Headers[$name] }
        $arguments = @{ Uri = $apiUrl + $Path; Method = $Method; Headers = $all; SkipHttpErrorCheck = $true; StatusCodeVariable = 'status'; ResponseHeadersVariable = 'responseHeaders' }
        if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Compress); $arguments.ContentType = 'application/json' }
        $answer = Invoke-RestMethod @arguments
        [pscustomobject]@{ Status = $status; Body = $answer; Headers = $responseHeaders }
    }

    # The error a cmdlet wrote, by its ErrorId.
    function Get-ErrorId {
        param([scriptblock] $Script)
        $ErrorActionPreference = 'Continue'
        @(& $Script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] })
    }
}

AfterAll {
    Disconnect-Clerk -ErrorAction SilentlyContinue
    $emulator | Stop-ClerkEmulator
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
}

Describe 'The emulator in any PowerShell the module supports' {
    It 'starts, connects, lists, revokes, answers Invoke-RestMethod and stops' {
        $any = Start-ClerkEmulator -Seed 51
        try {
            $connection = $any | Connect-Clerk -PassThru
            $sessions = @(Get-ClerkSession -UserId $any.UserIds[0] -Connection $connection)
            $sessions.Count | Should -Be 6
            $revoked = @($sessions | Revoke-ClerkSession -Force -Connection $connection)
            $revoked.Count | Should -Be 3
            @(Get-ClerkSession -UserId $any.UserIds[0] -Status active -Connection $connection).Count | Should -Be 0
            $anyKey = ConvertTo-PlainText $any.SecretKey
            $list = Invoke-RestMethod -Uri ($any.ApiUrl.ToString() + 'sessions?user_id=' + $any.UserIds[1] + '&paginated=true') -Headers @{ Authorization = 'Bearer ' + $anyKey }
            $list.total_count | Should -Be 6
            $status = 0
            try { $null = Invoke-RestMethod -Uri ($any.ApiUrl.ToString() + 'sessions/sess_none') -Headers @{ Authorization = 'Bearer ' + $anyKey } }
            catch { $status = [int]$_.Exception.Response.StatusCode }
            $status | Should -Be 404
            Disconnect-Clerk -Connection $connection
        }
        finally {
            $any | Stop-ClerkEmulator
        }
        $any.IsRunning | Should -BeFalse
    }
}

Describe 'Start-ClerkEmulator' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeEach {
        Reset-ClerkEmulator -Emulator $emulator
    }

    It 'writes the API URL on loopback, the key as a SecureString and the seeded users in Clerk''s id shape' {
        $emulator.ApiUrl.Scheme | Should -Be 'http'
        $emulator.ApiUrl.Host | Should -Be '127.0.0.1'
        $emulator.ApiUrl.AbsolutePath | Should -Be '/v1/'
        $emulator.SecretKey | Should -BeOfType [securestring]
        $keyText | Should -Match '^sk_test_'
        $emulator.UserIds.Count | Should -Be 3
        $emulator.UserIds | ForEach-Object { $_ | Should -Match '^user_2[0-9A-Za-z]{26}$' }
        (Get-ClerkEmulator) | Should -Contain $emulator
    }

    It 'connects when piped to Connect-Clerk, binding SecretKey and ApiUrl by property name' {
        $run = Invoke-WithBindingTrace -Command 'Connect-Clerk' -Script { $emulator | Connect-Clerk -PassThru }
        $run.PipelineBound | Sort-Object | Should -Be @('ApiUrl', 'SecretKey')
        $run.Output[0].ApiUrl | Should -Be $emulator.ApiUrl
        (Get-ClerkConnection).ApiUrl | Should -Be $emulator.ApiUrl
    }

    It 'runs the bulk revoke of the issue: every active session of the user revoked, finished ones untouched' {
        $emulator | Connect-Clerk
        $before = @(Get-ClerkSession -UserId $emulator.UserIds[0])
        $active = @($before | Where-Object Status -eq 'active')
        $active.Count | Should -BeGreaterThan 0
        Reset-ClerkEmulator -Emulator $emulator

        $revoked = @(Get-ClerkSession -UserId $emulator.UserIds[0] | Revoke-ClerkSession -Force)

        $revoked.Id | Sort-Object | Should -Be ($active.Id | Sort-Object)
        $revoked.Status | Sort-Object -Unique | Should -Be 'revoked'
        @(Get-ClerkSession -UserId $emulator.UserIds[0] -Status active).Count | Should -Be 0
        (Get-ClerkEmulatorRequest -Operation RevokeSession).Path | Sort-Object |
            Should -Be ($active.Id | ForEach-Object { "/v1/sessions/$_/revoke" } | Sort-Object)
    }

    It 'is the same instance every time for the same seed, and another for another seed' {
        $same = Start-ClerkEmulator
        $other = Start-ClerkEmulator -Seed 7 -UserCount 2 -SessionsPerUser 4
        try {
            $same.UserIds | Should -Be $emulator.UserIds
            $other.UserIds.Count | Should -Be 2
            $other.UserIds | Should -Not -Contain $emulator.UserIds[0]
            (Get-ClerkEmulator) | Should -Contain $other
        }
        finally {
            $same, $other | Stop-ClerkEmulator
        }
    }

    It 'refuses a port in use and a key that is not a Clerk secret key, with ClerkEmulatorStartFailed' {
        { Start-ClerkEmulator -Port $emulator.Port } | Should -Throw -ErrorId 'ClerkEmulatorStartFailed,ClerkSessions.Cmdlets.StartClerkEmulatorCommand'
        { Start-ClerkEmulator -SecretKey (ConvertTo-SecureString 'pk_test_notasecret' -AsPlainText -Force) } |
            Should -Throw -ErrorId 'ClerkEmulatorStartFailed,ClerkSessions.Cmdlets.StartClerkEmulatorCommand'
        @(Get-ClerkEmulator).Count | Should -Be 1
    }

    It 'starts nothing under -WhatIf' {
        Start-ClerkEmulator -WhatIf | Should -BeNullOrEmpty
        @(Get-ClerkEmulator).Count | Should -Be 1
    }

    It 'stops with Stop-ClerkEmulator: the port refuses connections and the emulator is no longer listed' {
        $stopping = Start-ClerkEmulator
        $url = $stopping.ApiUrl.ToString() + 'jwks'
        $stopping | Stop-ClerkEmulator
        $stopping.IsRunning | Should -BeFalse
        (Get-ClerkEmulator) | Should -Not -Contain $stopping
        { Invoke-RestMethod $url -TimeoutSec 5 } | Should -Throw
        { Set-ClerkEmulator -Emulator $stopping -LatencyMs 1 } | Should -Throw -ErrorId 'ClerkEmulatorNotRunning,ClerkSessions.Cmdlets.SetClerkEmulatorCommand'
    }

    It 'stops when the module is removed from the runspace that started it' {
        $script = @"
Import-Module '$moduleManifest'
`$emulator = Start-ClerkEmulator
`$url = `$emulator.ApiUrl.ToString() + 'jwks'
Remove-Module ClerkSessions
try { Invoke-RestMethod `$url -TimeoutSec 5; 'still serving' } catch { 'refused' }
"@
        $run = Invoke-ChildPwsh -Script $script -TimeoutSeconds 120
        $run.Output.Trim() | Should -Be 'refused'
    }

    It 'serves as a standalone server for other tools with -Wait, at a fixed port and key, until the process ends' {
        # A port that was free a moment ago.
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = $probe.LocalEndpoint.Port
        $probe.Stop()
        $file = Join-Path ([IO.Path]::GetTempPath()) "clerksessions-emulator-$port.txt"
        $script = "Import-Module '$moduleManifest'; Start-ClerkEmulator -Port $port -SecretKey (ConvertTo-SecureString sk_test_standalone0000 -AsPlainText -Force) -Wait | ForEach-Object { Set-Content -LiteralPath '$file.tmp' -Value `$_.ApiUrl; Move-Item -LiteralPath '$file.tmp' -Destination '$file' }"
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = (Get-Process -Id $PID).Path
        $start.Arguments = '-NoProfile -NonInteractive -EncodedCommand ' + [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($start)
        $errors = $process.StandardError.ReadToEndAsync()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path -LiteralPath $file) -and [DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) { Start-Sleep -Milliseconds 200 }
            Test-Path -LiteralPath $file | Should -BeTrue -Because "the standalone emulator should have started: $(if ($process.HasExited) { $errors.Result })"
            (Get-Content -LiteralPath $file).Trim() | Should -Be "http://127.0.0.1:$port/v1/"
            $list = Invoke-RestMethod "http://127.0.0.1:$port/v1/sessions?user_id=$user&paginated=true" -Headers @{ Authorization = 'Bearer sk_test_standalone0000' }
            $list.total_count | Should -Be 6
        }
        finally {
            if (-not $process.HasExited) { $process.Kill() }
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
    }

    It 'stops serving when -Wait is stopped (Ctrl+C: StopProcessing)' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$moduleManifest'; Start-ClerkEmulator -Wait")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $null = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($output.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $waiting = $output[0]
            $waiting.IsRunning | Should -BeTrue
            $shell.Stop()
            $waiting.IsRunning | Should -BeFalse
            { Invoke-RestMethod ($waiting.ApiUrl.ToString() + 'jwks') -TimeoutSec 5 } | Should -Throw
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'passes the Pester example that about_ClerkSessions gives for testing runbooks' {
        $about = Get-Content -Raw -LiteralPath (Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'docs') 'about_ClerkSessions.md')
        $example = [regex]::Match($about, '(?s)```powershell\r?\n(# SignOut\.Tests\.ps1.*?)```').Groups[1].Value
        $example | Should -Match 'Start-ClerkEmulator'
        $folder = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-about-{0}" -f [guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $folder
        try {
            Set-Content -LiteralPath (Join-Path $folder 'SignOut.Tests.ps1') -Value ($example -replace 'Import-Module ClerkSessions', "Import-Module '$moduleManifest'")
            $run = Invoke-ChildPwsh -WorkingDirectory $folder -TimeoutSeconds 180 -Script (
                "Import-Module Pester -MinimumVersion 5.5; `$r = Invoke-Pester -Path ./SignOut.Tests.ps1 -PassThru -Output None; 'passed ' + `$r.PassedCount + ' failed ' + `$r.FailedCount")
            $run.Output.Trim() | Should -Be 'passed 2 failed 0' -Because $run.Errors
        }
        finally {
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'runs the README''s first command''s bulk revoke on the emulator when no key is configured' {
        $demo = Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'tools') 'Invoke-BulkRevokeDemo.ps1'
        $run = Invoke-ChildPwsh -Script "& '$demo' -ModulePath '$($env:CLERKSESSIONS_MODULE_PATH)'" -Environment @{ CLERK_SECRET_KEY = $null; CLERK_API_URL = $null } -TimeoutSeconds 120
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Output | Should -Match 'running on the Clerk emulator at http://127\.0\.0\.1:\d+/v1/'
        $run.Output | Should -Match "Active sessions of $user left: 0"
        ([regex]::Matches($run.Output, '(?m)^sess_\w+ +revoked ')).Count | Should -BeGreaterOrEqual 3
    }
}

Describe 'The API over HTTP, as Invoke-RestMethod and curl see it' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeEach {
        Reset-ClerkEmulator -Emulator $emulator
    }

    It 'lists a user''s sessions as a bare array, and as {data, total_count} with paginated=true' {
        $bare = Invoke-Clerk "sessions?user_id=$user"
        $bare.Status | Should -Be 200
        @($bare.Body).Count | Should -Be 6
        @($bare.Body)[0].object | Should -Be 'session'
        $paged = Invoke-Clerk "sessions?user_id=$user&paginated=true&limit=2&offset=1"
        $paged.Body.total_count | Should -Be 6
        @($paged.Body.data).Count | Should -Be 2
        $paged.Body.data[0].id | Should -Be @($bare.Body)[1].id
    }

    It 'filters by user, client and status, newest first, with millisecond timestamps' {
        $sessions = @((Invoke-Clerk "sessions?user_id=$user").Body)
        $client = $sessions[0].client_id
        $byClient = @((Invoke-Clerk "sessions?client_id=$client").Body)
        $byClient.client_id | Sort-Object -Unique | Should -Be $client
        $byClient.Count | Should -Be @($sessions | Where-Object client_id -eq $client).Count
        $active = @((Invoke-Clerk "sessions?user_id=$user&status=active").Body)
        $active.status | Sort-Object -Unique | Should -Be 'active'
        $created = @($sessions.created_at)
        $created | Should -Be ($created | Sort-Object -Descending)
        $created[0] | Should -BeGreaterThan 1000000000000
    }

    It 'seeds sessions in every status Clerk has' {
        $all = foreach ($id in $emulator.UserIds) { @((Invoke-Clerk "sessions?user_id=$id&limit=500").Body) }
        $all.status | Sort-Object -Unique | Should -Be @('abandoned', 'active', 'ended', 'expired', 'pending', 'removed', 'replaced', 'revoked')
    }

    It 'answers Clerk''s errors with its envelope and a trace id: <Case>' -ForEach @(
        @{ Case = 'no user or client'; Path = 'sessions'; Status = 422; Code = 'form_param_missing' }
        @{ Case = 'limit over 500'; Path = 'sessions?user_id=user_x&limit=501'; Status = 422; Code = 'form_param_value_invalid' }
        @{ Case = 'pending is not a list filter'; Path = 'sessions?user_id=user_x&status=pending'; Status = 422; Code = 'form_param_value_invalid' }
        @{ Case = 'unknown session'; Path = 'sessions/sess_missing'; Status = 404; Code = 'resource_not_found' }
        @{ Case = 'unknown path'; Path = 'users'; Status = 404; Code = 'resource_not_found' }
    ) {
        $answer = Invoke-Clerk $Path
        $answer.Status | Should -Be $Status
        $answer.Body.errors[0].code | Should -Be $Code
        $answer.Body.errors[0].long_message | Should -Not -BeNullOrEmpty
        $answer.Body.clerk_trace_id | Should -Match '^[0-9a-f]{32}$'
    }

    It 'checks the Bearer key: a wrong key, no header and a non-Bearer header are 401' {
        (Invoke-Clerk 'jwks' -Key 'sk_test_wrongkey0000').Body.errors[0].code | Should -Be 'authentication_invalid'
        $none = Invoke-RestMethod ($apiUrl + 'jwks') -SkipHttpErrorCheck -StatusCodeVariable noneStatus
        $noneStatus | Should -Be 401
        $none.errors[0].code | Should -Be 'authentication_invalid'
        $basic = Invoke-RestMethod ($apiUrl + 'jwks') -Headers @{ Authorization = 'Basic abc' } -SkipHttpErrorCheck -StatusCodeVariable basicStatus
        $basicStatus | Should -Be 401
        $basic.errors[0].code | Should -Be 'authorization_header_format_invalid'
        (Get-ClerkEmulatorRequest -Emulator $emulator).KeyAccepted | Should -Be @($false, $false, $false)
    }

    It 'honours Clerk-API-Version: known versions pass, unknown ones and header-plus-query are 400 api_version_invalid' {
        (Invoke-Clerk "sessions?user_id=$user" -Headers @{ 'Clerk-API-Version' = '2025-04-10' }).Status | Should -Be 200
        (Invoke-Clerk "sessions?user_id=$user&__clerk_api_version=2026-05-12").Status | Should -Be 200
        $unknown = Invoke-Clerk "sessions?user_id=$user" -Headers @{ 'Clerk-API-Version' = '1999-01-01' }
        $unknown.Status | Should -Be 400
        $unknown.Body.errors[0].code | Should -Be 'api_version_invalid'
        (Invoke-Clerk "sessions?user_id=$user&__clerk_api_version=2026-05-12" -Headers @{ 'Clerk-API-Version' = '2026-05-12' }).Status | Should -Be 400
        (Get-ClerkEmulatorRequest -Emulator $emulator)[0].ApiVersion | Should -Be '2025-04-10'
    }

    It 'creates a session for a known user (development keys only), and 404s an unknown one' {
        $created = Invoke-Clerk 'sessions' -Method Post -Body @{ user_id = $user }
        $created.Status | Should -Be 200
        $created.Body.status | Should -Be 'active'
        $created.Body.id | Should -Match '^sess_2[0-9A-Za-z]{26}$'
        (Invoke-Clerk "sessions/$($created.Body.id)").Body.user_id | Should -Be $user
        (Invoke-Clerk 'sessions' -Method Post -Body @{ user_id = 'user_nobody' }).Status | Should -Be 404
        (Invoke-Clerk 'sessions' -Method Post -Body @{}).Body.errors[0].code | Should -Be 'form_param_missing'
    }

    It 'revokes an active session, and answers a finished one with the session as it is' {
        $sessions = @((Invoke-Clerk "sessions?user_id=$user").Body)
        $active = $sessions | Where-Object status -eq 'active' | Select-Object -First 1
        $ended = $sessions | Where-Object status -eq 'ended' | Select-Object -First 1
        $revoked = Invoke-Clerk "sessions/$($active.id)/revoke" -Method Post
        $revoked.Body.status | Should -Be 'revoked'
        $revoked.Body.updated_at | Should -BeGreaterOrEqual $active.updated_at
        $again = Invoke-Clerk "sessions/$($ended.id)/revoke" -Method Post
        $again.Status | Should -Be 200
        $again.Body.status | Should -Be 'ended'
        $again.Body.updated_at | Should -Be $ended.updated_at
    }

    It 'retires the verify endpoint: 410 operation_deprecated' {
        $answer = Invoke-Clerk "sessions/sess_any/verify" -Method Post -Body @{ token = 'x' }
        $answer.Status | Should -Be 410
        $answer.Body.errors[0].code | Should -Be 'operation_deprecated'
    }

    It 'talks to curl like the real API' -Skip:(-not (Get-Command curl -CommandType Application -ErrorAction SilentlyContinue)) {
        $curl = (Get-Command curl -CommandType Application | Select-Object -First 1).Source
        $out = & $curl -s -w '\n%{http_code}' -H "Authorization: Bearer $keyText" "${apiUrl}sessions?user_id=$user&paginated=true&limit=1"
        $out[-1] | Should -Be '200'
        ($out[0..($out.Count - 2)] -join "`n" | ConvertFrom-Json).total_count | Should -Be 6
        $refused = & $curl -s -o /dev/null -w '%{http_code}' "${apiUrl}jwks"
        $refused | Should -Be '401'
    }
}

Describe 'Session tokens, refresh and keys' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeAll {
        $emulator | Connect-Clerk
    }

    BeforeEach {
        Reset-ClerkEmulator -Emulator $emulator
        # A fresh connection, so its JWKS cache holds the emulator's current keys (the module refetches at most every 10 s).
        $emulator | Connect-Clerk
        $active = Get-ClerkSession -UserId $user -Status active -First 1
    }

    It 'issues RS256 session tokens that verify against GET /jwks, for the default lifetime or expires_in_seconds' {
        $token = New-ClerkSessionToken -SessionId $active.Id
        $result = Test-ClerkSessionToken -Token $token.Token -Detailed
        $result.IsValid | Should -BeTrue
        $result.SessionId | Should -Be $active.Id
        $result.UserId | Should -Be $user
        $result.KeyId | Should -Be $emulator.SigningKeyId
        ($token.ExpiresAt - $token.IssuedAt).TotalSeconds | Should -Be 60
        $long = New-ClerkSessionToken -SessionId $active.Id -ExpiresInSeconds 600
        ($long.ExpiresAt - $long.IssuedAt).TotalSeconds | Should -Be 600
    }

    It 'issues tokens from a JWT template, and 404s an unknown template' {
        $jwt = New-ClerkSessionToken -SessionId $active.Id -TemplateName hasura -AsPlainText
        $payload = $jwt.Split('.')[1].Replace('-', '+').Replace('_', '/')
        $payload += '=' * ((4 - $payload.Length % 4) % 4)
        $claims = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
        $claims.'https://hasura.io/jwt/claims'.'x-hasura-user-id' | Should -Be $user
        Get-ErrorId { New-ClerkSessionToken -SessionId $active.Id -TemplateName nosuch } | Should -Be 'ClerkJwtTemplateNotFound'
    }

    It 'rotates its signing key: new tokens name the new key, the JWKS serves both, older tokens still verify' {
        $before = New-ClerkSessionToken -SessionId $active.Id
        $oldKid = $emulator.SigningKeyId
        Set-ClerkEmulator -Emulator $emulator -RotateSigningKey
        $emulator.SigningKeyId | Should -Not -Be $oldKid
        $after = New-ClerkSessionToken -SessionId $active.Id
        (Invoke-Clerk 'jwks').Body.keys.kid | Should -Be @($emulator.SigningKeyId, $oldKid)
        $emulator | Connect-Clerk
        (Test-ClerkSessionToken -Token $after.Token -Detailed).KeyId | Should -Be $emulator.SigningKeyId
        Test-ClerkSessionToken -Token $before.Token | Should -BeTrue
        Test-ClerkSessionToken -Token $after.Token | Should -BeTrue
    }

    It 'rolls its secret key: a connection with the previous key is refused with ClerkSecretKeyRejected, connecting again works' {
        $rolled = Start-ClerkEmulator
        try {
            $rolled | Connect-Clerk
            $previous = ConvertTo-PlainText $rolled.SecretKey
            Set-ClerkEmulator -Emulator $rolled -RotateSecretKey
            { Get-ClerkSession -UserId $rolled.UserIds[0] } | Should -Throw -ErrorId 'ClerkSecretKeyRejected,ClerkSessions.Cmdlets.GetClerkSessionCommand'
            ConvertTo-PlainText $rolled.SecretKey | Should -Not -Be $previous
            $rolled | Connect-Clerk
            @(Get-ClerkSession -UserId $rolled.UserIds[0]).Count | Should -Be 6
            (Get-ClerkEmulatorRequest -Emulator $rolled).KeyAccepted | Should -Be @($false, $true)
        }
        finally {
            $rolled | Stop-ClerkEmulator
            $emulator | Connect-Clerk
        }
    }

    It 'refreshes a session from a browser''s expired token and refresh token, as a token or as cookies, once per token' {
        $browser = $emulator.GetBrowserTokens($active.Id, 'https://app.example.com')
        $refreshed = Update-ClerkSession -SessionId $active.Id -ExpiredToken $browser.ExpiredToken -RefreshToken $browser.RefreshToken -RequestOrigin $browser.RequestOrigin
        (Test-ClerkSessionToken -Token $refreshed.Token -AuthorizedParty https://app.example.com -Detailed).IsValid | Should -BeTrue
        Get-ErrorId { Update-ClerkSession -SessionId $active.Id -ExpiredToken $browser.ExpiredToken -RefreshToken $browser.RefreshToken -RequestOrigin $browser.RequestOrigin } |
            Should -Be 'ClerkSessionRefreshRefused'
        $second = $emulator.GetBrowserTokens($active.Id, 'https://app.example.com')
        $cookies = Update-ClerkSession -SessionId $active.Id -ExpiredToken $second.ExpiredToken -RefreshToken $second.RefreshToken -RequestOrigin $second.RequestOrigin -Format Cookie
        ConvertTo-PlainText $cookies.Cookies[0] | Should -Match '^__session=eyJ'
        ConvertTo-PlainText $cookies.Cookies[1] | Should -Match '^__client_uat=\d+;'
    }

    It 'refuses a refresh as Clerk does: <Case>' -ForEach @(
        @{ Case = 'another origin'; Origin = 'https://evil.example.com'; Code = 'refresh_request_origin_azp_mismatch' }
        @{ Case = 'an unknown refresh token'; RefreshToken = 'rt_unknown'; Code = 'refresh_token_not_found' }
        @{ Case = 'a revoked session'; Revoke = $true; Code = 'session_refresh_inactive_session' }
    ) {
        $browser = $emulator.GetBrowserTokens($active.Id, 'https://app.example.com')
        if ($_['Revoke']) { $null = $active | Revoke-ClerkSession -Force }
        $body = @{
            expired_token  = (ConvertTo-PlainText $browser.ExpiredToken)
            refresh_token  = if ($_['RefreshToken']) { $_['RefreshToken'] } else { (ConvertTo-PlainText $browser.RefreshToken) }
            request_origin = if ($_['Origin']) { $_['Origin'] } else { 'https://app.example.com' }
        }
        $answer = Invoke-Clerk "sessions/$($active.Id)/refresh" -Method Post -Body $body
        $answer.Status | Should -Be 401
        $answer.Body.errors[0].code | Should -Be $Code
    }
}

Describe 'Rate limit' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    It 'defaults to Clerk''s limits: 100 / 10 s for development keys, 1000 / 10 s for production keys' {
        $production = Start-ClerkEmulator -Environment Production
        try {
            $emulator.RateLimit | Should -Be 100
            $emulator.RateLimitWindow.TotalSeconds | Should -Be 10
            $production.RateLimit | Should -Be 1000
            (ConvertTo-PlainText $production.SecretKey) | Should -Match '^sk_live_'
        }
        finally {
            $production | Stop-ClerkEmulator
        }
    }

    It 'answers 429 too_many_requests with Retry-After once the bucket is empty, exempts /jwks, and refills' {
        $limited = Start-ClerkEmulator -RateLimit 5 -RateLimitWindowSec 60
        try {
            $key = (ConvertTo-PlainText $limited.SecretKey)
            $headers = @{ Authorization = "Bearer $key" }
            $statuses = 1..6 | ForEach-Object {
                $null = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers $headers -SkipHttpErrorCheck -StatusCodeVariable code
                $code
            }
            $statuses | Should -Be @(404, 404, 404, 404, 404, 429)
            $over = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers $headers -SkipHttpErrorCheck -StatusCodeVariable code -ResponseHeadersVariable answerHeaders
            $code | Should -Be 429
            $over.errors[0].code | Should -Be 'too_many_requests'
            [int]$answerHeaders['Retry-After'][0] | Should -BeGreaterOrEqual 1
            $null = Invoke-RestMethod "$($limited.ApiUrl)jwks" -Headers $headers -StatusCodeVariable code
            $code | Should -Be 200

            # One a second: the second request at once is refused, one a second later is let through.
            Set-ClerkEmulator -Emulator $limited -RateLimit 1 -RateLimitWindowSec 1
            $codes = 1..2 | ForEach-Object { $null = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers $headers -SkipHttpErrorCheck -StatusCodeVariable code; $code }
            $codes | Should -Be @(404, 429)
            Start-Sleep -Milliseconds 1500
            $null = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers $headers -SkipHttpErrorCheck -StatusCodeVariable code
            $code | Should -Be 404
        }
        finally {
            $limited | Stop-ClerkEmulator
        }
    }

    It 'paces the module: a 429 from the limit is retried after Retry-After and the call succeeds' {
        $limited = Start-ClerkEmulator -RateLimit 2 -RateLimitWindowSec 2
        try {
            $limited | Connect-Clerk
            $sessions = @(1..3 | ForEach-Object { Get-ClerkSession -UserId $limited.UserIds[0] -First 1 })
            $sessions.Count | Should -Be 3
            (Get-ClerkEmulatorRequest -Emulator $limited).StatusCode | Should -Contain 429
        }
        finally {
            $limited | Stop-ClerkEmulator
            $emulator | Connect-Clerk
        }
    }

    It 'can be changed or turned off while running' {
        $limited = Start-ClerkEmulator -RateLimit 0
        try {
            $limited.RateLimit | Should -Be 0
            $key = (ConvertTo-PlainText $limited.SecretKey)
            $codes = 1..30 | ForEach-Object { $null = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers @{ Authorization = "Bearer $key" } -SkipHttpErrorCheck -StatusCodeVariable code; $code }
            $codes | Sort-Object -Unique | Should -Be 404
            Set-ClerkEmulator -Emulator $limited -RateLimit 1 -RateLimitWindowSec 60
            $codes = 1..2 | ForEach-Object { $null = Invoke-RestMethod "$($limited.ApiUrl)sessions/sess_x" -Headers @{ Authorization = "Bearer $key" } -SkipHttpErrorCheck -StatusCodeVariable code; $code }
            $codes | Should -Be @(404, 429)
        }
        finally {
            $limited | Stop-ClerkEmulator
        }
    }
}

Describe 'Scripted faults and latency, for testing runbooks' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeAll {
        $faulty = Start-ClerkEmulator
        $faulty | Connect-Clerk -MaxRetries 0 -TimeoutSec 2
        $faultyUser = $faulty.UserIds[0]
    }

    AfterAll {
        $faulty | Stop-ClerkEmulator
        $emulator | Connect-Clerk
    }

    BeforeEach {
        Reset-ClerkEmulator -Emulator $faulty
        $target = (Get-ClerkSession -UserId $faultyUser -Status active -First 1).Id
        Reset-ClerkEmulator -Emulator $faulty
    }

    It 'answers <Kind> to the next matching request, then answers normally again: <ErrorId>' -ForEach @(
        @{ Kind = 'RateLimited'; ErrorId = 'ClerkRateLimited' }
        @{ Kind = 'Status'; StatusCode = 503; ErrorId = 'ClerkServerError' }
        @{ Kind = 'Status'; StatusCode = 404; ErrorId = 'ClerkSessionNotFound' }
        @{ Kind = 'HtmlPage'; ErrorId = 'ClerkServerError' }
        # .NET's handler repeats a request up to three times by itself when the connection closes before any answer.
        @{ Kind = 'DropConnection'; Count = 4; ErrorId = 'ClerkConnectionFailed' }
        @{ Kind = 'MalformedJson'; ErrorId = 'ClerkRequestFailed' }
        @{ Kind = 'EmptyBody'; ErrorId = 'ClerkRequestFailed' }
        @{ Kind = 'TruncatedBody'; ErrorId = 'ClerkConnectionFailed' }
        @{ Kind = 'Slow'; DelayMs = 5000; ErrorId = 'ClerkConnectionFailed' }
    ) {
        $fault = @{ Kind = $Kind; Operation = 'GetSession'; Emulator = $faulty }
        $faults = 1
        if ($_['Count']) { $fault.Count = $faults = $_['Count'] }
        if ($_['StatusCode']) { $fault.StatusCode = $_['StatusCode'] }
        if ($_['DelayMs']) { $fault.DelayMs = $_['DelayMs'] }
        Add-ClerkEmulatorFault @fault

        Get-ErrorId { Get-ClerkSession -SessionId $target } | Should -Be $ErrorId
        (Get-ClerkSession -SessionId $target).Id | Should -Be $target
        $log = @(Get-ClerkEmulatorRequest -Emulator $faulty -Operation GetSession)
        $log.Count | Should -Be ($faults + 1)
        $log[0..($faults - 1)].Fault | Sort-Object -Unique | Should -Be $Kind
        $log[-1].Fault | Should -BeNullOrEmpty
        $log[-1].StatusCode | Should -Be 200
    }

    It 'writes Retry-After in seconds, as an HTTP date, or not at all' {
        $faultyKey = (ConvertTo-PlainText $faulty.SecretKey)
        Add-ClerkEmulatorFault -Emulator $faulty -Kind RateLimited -RetryAfterSec 7
        Add-ClerkEmulatorFault -Emulator $faulty -Kind RateLimited -RetryAfterSec 30 -RetryAfterFormat HttpDate
        Add-ClerkEmulatorFault -Emulator $faulty -Kind RateLimited -RetryAfterFormat None
        $retryAfter = 1..3 | ForEach-Object {
            $body = Invoke-RestMethod "$($faulty.ApiUrl)sessions/$target" -Headers @{ Authorization = "Bearer $faultyKey" } -SkipHttpErrorCheck -StatusCodeVariable code -ResponseHeadersVariable answer
            $code | Should -Be 429
            $body.errors[0].code | Should -Be 'too_many_requests'
            if ($answer.ContainsKey('Retry-After')) { $answer['Retry-After'][0] } else { '(none)' }
        }
        $retryAfter[0] | Should -Be '7'
        $date = [DateTimeOffset]::ParseExact($retryAfter[1], 'r', [Globalization.CultureInfo]::InvariantCulture)
        ($date - [DateTimeOffset]::UtcNow).TotalSeconds | Should -BeGreaterThan 20
        $retryAfter[2] | Should -Be '(none)'
    }

    It 'counts: -Count 3 faults the next three matching requests only, and leaves others alone' {
        Add-ClerkEmulatorFault -Emulator $faulty -Kind Status -StatusCode 500 -Count 3 -Operation RevokeSession
        $null = Get-ClerkSession -SessionId $target
        $errors = Get-ErrorId { 1..4 | ForEach-Object { Revoke-ClerkSession -SessionId $target -Force } }
        $errors | Should -Be @('ClerkServerError', 'ClerkServerError', 'ClerkServerError')
        (Get-ClerkEmulatorRequest -Emulator $faulty).StatusCode | Should -Be @(200, 500, 500, 500, 200)
        $faulty.PendingFaults.Count | Should -Be 0
    }

    It 'matches -Path wildcards: a 404 for one session only' {
        $sessions = @(Get-ClerkSession -UserId $faultyUser -Status active)
        Add-ClerkEmulatorFault -Emulator $faulty -Kind Status -StatusCode 404 -Count 10 -Path "/v1/sessions/$($sessions[0].Id)*"
        $errors = $null
        $revoked = @($sessions | Revoke-ClerkSession -Force -ErrorAction SilentlyContinue -ErrorVariable errors)
        # Revokes run in flight and are written as they complete: compare what, not in which order.
        $revoked.Id | Sort-Object | Should -Be @($sessions[1..($sessions.Count - 1)].Id | Sort-Object)
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be $sessions[0].Id
    }

    It 'a transient fault is retried by the module when retries are on' {
        $faulty | Connect-Clerk -MaxRetries 2
        try {
            Add-ClerkEmulatorFault -Emulator $faulty -Kind RateLimited -RetryAfterSec 1 -RetryAfterFormat HttpDate -Operation GetSession
            Add-ClerkEmulatorFault -Emulator $faulty -Kind HtmlPage -Operation GetSession
            (Get-ClerkSession -SessionId $target).Id | Should -Be $target
            (Get-ClerkEmulatorRequest -Emulator $faulty -Operation GetSession).StatusCode | Should -Be @(429, 502, 200)
        }
        finally {
            $faulty | Connect-Clerk -MaxRetries 0 -TimeoutSec 2
        }
    }

    It 'adds latency to every answer' {
        Set-ClerkEmulator -Emulator $faulty -LatencyMs 400
        try {
            $elapsed = Measure-Command { $null = Get-ClerkSession -SessionId $target }
            # Timers may fire a millisecond or so early against the stopwatch.
            $elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 380
            $faulty.Latency.TotalMilliseconds | Should -Be 400
        }
        finally {
            Set-ClerkEmulator -Emulator $faulty -LatencyMs 0
        }
    }

    It 'Reset-ClerkEmulator restores the seed and forgets faults and requests' {
        $null = Revoke-ClerkSession -SessionId $target -Force
        Add-ClerkEmulatorFault -Emulator $faulty -Kind DropConnection -Count 5
        Reset-ClerkEmulator -Emulator $faulty
        $faulty.PendingFaults.Count | Should -Be 0
        @(Get-ClerkEmulatorRequest -Emulator $faulty).Count | Should -Be 0
        (Get-ClerkSession -SessionId $target).Status | Should -Be 'active'
    }

    It 'refuses what is not an emulator operation, naming the valid ones' {
        { Add-ClerkEmulatorFault -Emulator $faulty -Kind Status -Operation DeleteUser } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.AddClerkEmulatorFaultCommand'
    }
}
