#Requires -Version 5.1
# Secrets stay secret: the secret key, session tokens (JWTs) and refresh tokens appear in no channel a user or a log
# can see. Every cmdlet that handles a secret runs in one scenario, in a runspace of its own, at each preference; the
# secrets that actually passed through (the emulator's key, every JWT and refresh token) are collected there and
# searched for in each channel: the whole value, a distinctive part (a JWT's signature, the last 12 characters of a
# key or refresh token), and that part as a SecureString lands in CliXml outside Windows (UTF-16 hex, unencrypted).
# Windows PowerShell 5.1 maps -Debug to Inquire, which needs a host that answers: that run is a console pwsh whose
# prompts are answered (Yes to All), read back from its transcript and its console.

BeforeDiscovery {
    # The preferences each stream is checked at. -Debug in a runspace without a host: PowerShell 7 takes it as Continue;
    # Windows PowerShell 5.1 would ask (Inquire), which only a console can answer (the last Describe).
    $preferences = @('SilentlyContinue', 'Continue')
    if ($PSVersionTable.PSVersion.Major -ge 7) { $preferences += '-Debug', '-Verbose -Debug' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop
    # Answers of the test's own that echo what was sent, as Clerk's messages may ("Received %v") and proxies do.
    $server = Start-RecordedServer

    # The scenario. It runs where $ModuleManifest, $ServerUrl and $Found (a list: each secret that passed through,
    # with a name) are set, and shows no secret by itself: tokens it needs in plain text stay in variables.
    $scenario = @'
Import-Module $ModuleManifest
function Add-Secret([string] $Name, [string] $Value) { if ($Value) { $Found.Add([pscustomobject]@{ Name = $Name; Value = $Value }) } }
function ConvertTo-PlainText([securestring] $Secure) { (New-Object System.Net.NetworkCredential('', $Secure)).Password }
function Set-ServerAnswer([hashtable] $Answer) {
    # The test's own request: Invoke-RestMethod shows the body it sends in the debug stream.
    $DebugPreference = $VerbosePreference = 'SilentlyContinue'
    $json = ConvertTo-Json -InputObject @($Answer) -Depth 10
    $null = Invoke-RestMethod -Method Post -Uri ($ServerUrl -replace 'v1/$', '_test/script') -Body $json -ContentType 'application/json'
}
$savedKey = $env:CLERK_SECRET_KEY
$savedUrl = $env:CLERK_API_URL
Write-Warning 'canary: the warning stream is captured'
Write-Information 'canary: the information stream is captured'

# Start-, Get-ClerkEmulator and Connect-Clerk in every form it takes a key: piped from the emulator (by property name),
# -SecretKey, a piped object with a SecretKey, and $env:CLERK_SECRET_KEY (Connect-Clerk, and connecting by itself).
$emulator = Start-ClerkEmulator -Seed 3
$key = ConvertTo-PlainText $emulator.SecretKey
Add-Secret 'the emulator''s secret key' $key
$emulator
Get-ClerkEmulator
$emulator | Connect-Clerk -PassThru
Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -PassThru
[pscustomobject]@{ SecretKey = $emulator.SecretKey; ApiUrl = $emulator.ApiUrl } | Connect-Clerk -PassThru
$env:CLERK_SECRET_KEY = $key
$env:CLERK_API_URL = $emulator.ApiUrl.ToString()
Connect-Clerk -PassThru
Disconnect-Clerk -PassThru
$user = $emulator.UserIds[0]
$active = @(Get-ClerkSession -UserId $user -Status active)
Get-ClerkConnection
$env:CLERK_SECRET_KEY = $savedKey
$env:CLERK_API_URL = $savedUrl
$connection = $emulator | Connect-Clerk -PassThru

Get-ClerkSession -UserId $user
Get-ClerkSession -SessionId $active[0].Id
New-ClerkSession -UserId $emulator.UserIds[1]

# Session tokens: the object (its Token a SecureString), from a template, and -AsPlainText, which is the token by
# request and so is kept in a variable, not shown.
$token = New-ClerkSessionToken -SessionId $active[0].Id
$token
Add-Secret 'a session token' (ConvertTo-PlainText $token.Token)
$templated = New-ClerkSessionToken -SessionId $active[0].Id -TemplateName hasura -ExpiresInSeconds 600
$templated
Add-Secret 'a session token from a template' (ConvertTo-PlainText $templated.Token)
$plain = New-ClerkSessionToken -SessionId $active[0].Id -AsPlainText
Add-Secret 'a session token as plain text' $plain

# Test-ClerkSessionToken: as a string (named and positional), a SecureString and piped; a forged signature; the
# retired verify endpoint (410); and a token given where a session id belongs (Test-ClerkSession, positionally),
# which fails before any request.
Test-ClerkSessionToken -Token $plain
Test-ClerkSessionToken $plain
Test-ClerkSessionToken -Token $token.Token -Detailed
$token | Test-ClerkSessionToken -Detailed
Test-ClerkSessionToken -Token ($plain.Substring(0, $plain.Length - 8) + 'AAAAAAAA') -Detailed
Test-ClerkSessionToken -Token $plain -SessionId $active[0].Id -UseVerifyEndpoint
Test-ClerkSession $plain

# Update-ClerkSession: tokens as SecureStrings and as strings, into a token and into cookies; a refused refresh (the
# expired token already consumed, 401) and a 400 from Clerk.
$browser = $emulator.GetBrowserTokens($active[1].Id)
Add-Secret 'an expired session token' (ConvertTo-PlainText $browser.ExpiredToken)
Add-Secret 'a refresh token' (ConvertTo-PlainText $browser.RefreshToken)
$refreshed = Update-ClerkSession -SessionId $active[1].Id -ExpiredToken $browser.ExpiredToken -RefreshToken $browser.RefreshToken -RequestOrigin $browser.RequestOrigin
$refreshed
Add-Secret 'a refreshed session token' (ConvertTo-PlainText $refreshed.Token)
Update-ClerkSession -SessionId $active[1].Id -ExpiredToken (ConvertTo-PlainText $browser.ExpiredToken) -RefreshToken (ConvertTo-PlainText $browser.RefreshToken) -RequestOrigin $browser.RequestOrigin
$forCookies = $emulator.GetBrowserTokens($active[2].Id)
Add-Secret 'an expired session token' (ConvertTo-PlainText $forCookies.ExpiredToken)
Add-Secret 'a refresh token' (ConvertTo-PlainText $forCookies.RefreshToken)
$cookies = Update-ClerkSession -SessionId $active[2].Id -ExpiredToken (ConvertTo-PlainText $forCookies.ExpiredToken) -RefreshToken (ConvertTo-PlainText $forCookies.RefreshToken) -RequestOrigin $forCookies.RequestOrigin -Format Cookie
$cookies
foreach ($cookie in $cookies.Cookies) {
    if ((ConvertTo-PlainText $cookie) -match '^__session=([^;]+)') { Add-Secret 'the session token of a refresh cookie' $Matches[1] }
}
Add-ClerkEmulatorFault Status -StatusCode 400 -Operation RefreshSession
$refused = $emulator.GetBrowserTokens($active[0].Id)
Add-Secret 'an expired session token' (ConvertTo-PlainText $refused.ExpiredToken)
Add-Secret 'a refresh token' (ConvertTo-PlainText $refused.RefreshToken)
Update-ClerkSession -SessionId $active[0].Id -ExpiredToken $refused.ExpiredToken -RefreshToken $refused.RefreshToken -RequestOrigin $refused.RequestOrigin

# 404, then Revoke-ClerkSession, and the request log: refresh and verify bodies carried tokens.
New-ClerkSessionToken -SessionId sess_missing0000
$active | Revoke-ClerkSession -Force
Get-ClerkEmulatorRequest

# 401: a key the instance rejects.
$wrongKey = 'sk_test_rejected' + [guid]::NewGuid().ToString('N')
Add-Secret 'a rejected secret key' $wrongKey
Connect-Clerk -SecretKey (ConvertTo-SecureString $wrongKey -AsPlainText -Force) -ApiUrl $emulator.ApiUrl
try { Get-ClerkSession -UserId $user -ErrorAction Stop } catch { }

# Answers that echo what was sent: a 401 naming the key, a 400 naming the refresh token and the expired token, a 404
# naming the token to verify, and a proxy's page whose title names the refresh token.
$recordedKey = 'sk_test_recorded0000wxyz'
Add-Secret 'the recorded server''s secret key' $recordedKey
$recorded = Connect-Clerk -SecretKey (ConvertTo-SecureString $recordedKey -AsPlainText -Force) -ApiUrl $ServerUrl -ApiVersion 2025-03-12 -MaxRetries 0 -PassThru
Set-ServerAnswer @{ status = 401; body = @{ errors = @(@{ code = 'authentication_invalid'; message = 'Invalid authentication'; long_message = "Bearer $recordedKey is not a valid secret key" }); clerk_trace_id = 'trace_echo_0001' } }
try { Get-ClerkSession -SessionId sess_active_0001 -Connection $recorded -ErrorAction Stop } catch { }
$echoed = $emulator.GetBrowserTokens((Get-ClerkSession -UserId $emulator.UserIds[1] -Status active -Connection $connection)[0].Id)
$echoedExpired = ConvertTo-PlainText $echoed.ExpiredToken
$echoedRefresh = ConvertTo-PlainText $echoed.RefreshToken
Add-Secret 'an expired session token' $echoedExpired
Add-Secret 'a refresh token' $echoedRefresh
Set-ServerAnswer @{ status = 400; body = @{ errors = @(@{ code = 'form_param_value_invalid'; message = 'is invalid'; long_message = "refresh_token is invalid. Received $echoedRefresh for $echoedExpired."; meta = @{ param_name = 'refresh_token'; value = $echoedRefresh } }); clerk_trace_id = 'trace_echo_0002' } }
Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $echoed.ExpiredToken -RefreshToken $echoed.RefreshToken -RequestOrigin $echoed.RequestOrigin -Connection $recorded
Set-ServerAnswer @{ status = 404; body = @{ errors = @(@{ code = 'resource_not_found'; message = 'not found'; long_message = "No session was found for the token $plain" }); clerk_trace_id = 'trace_echo_0003' } }
Test-ClerkSessionToken -Token $plain -SessionId sess_active_0001 -UseVerifyEndpoint -Connection $recorded
Set-ServerAnswer @{ status = 502; bodyText = "<html><head><title>502 Bad Gateway for $echoedRefresh</title></head><body>$echoedExpired</body></html>"; contentType = 'text/html' }
Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $echoedExpired -RefreshToken $echoedRefresh -RequestOrigin $echoed.RequestOrigin -Connection $recorded
Disconnect-Clerk -Connection $recorded

Disconnect-Clerk -Connection $connection -PassThru
Disconnect-Clerk
$emulator | Stop-ClerkEmulator -PassThru
'@

    # Runs the scenario in a runspace of its own at a preference: the output, each stream, $Error and the secrets.
    function Invoke-Scenario {
        param([string] $Preference)
        $shell = [powershell]::Create()
        try {
            $found = [System.Collections.Generic.List[object]]::new()
            $shell.Runspace.SessionStateProxy.SetVariable('Found', $found)
            $shell.Runspace.SessionStateProxy.SetVariable('ModuleManifest', $moduleManifest)
            $shell.Runspace.SessionStateProxy.SetVariable('ServerUrl', $server.BaseUrl)
            $setup = switch ($Preference) {
                '-Debug' { "`$PSDefaultParameterValues['*-Clerk*:Debug'] = `$true" }
                '-Verbose -Debug' { "`$PSDefaultParameterValues['*-Clerk*:Verbose'] = `$true; `$PSDefaultParameterValues['*-Clerk*:Debug'] = `$true" }
                default {
                    "`$VerbosePreference = `$DebugPreference = `$WarningPreference = `$InformationPreference = `$ProgressPreference = `$ErrorActionPreference = '$Preference'"
                }
            }
            $null = $shell.AddScript($setup + [Environment]::NewLine + $scenario)
            $output = @($shell.Invoke())
            $streams = @{}
            foreach ($name in 'Error', 'Warning', 'Verbose', 'Debug', 'Information', 'Progress') { $streams[$name] = @($shell.Streams.$name) }
            [pscustomobject]@{
                Preference = $Preference
                Output     = $output
                Streams    = $streams
                Errors     = @($shell.Runspace.SessionStateProxy.GetVariable('Error'))
                Secrets    = @($found)
            }
        }
        finally {
            $shell.Dispose()
        }
    }

    # What to search for: each secret whole, its distinctive part, and that part as UTF-16 hex (a SecureString in
    # CliXml outside Windows).
    function Get-Needle {
        param([object[]] $Secrets)
        foreach ($secret in $Secrets) {
            $value = [string] $secret.Value
            $part = if ($value -like 'eyJ*.*.*') { $value.Split('.')[2] } else { $value.Substring($value.Length - 12) }
            $hex = -join ([Text.Encoding]::Unicode.GetBytes($part.Substring(0, [Math]::Min(16, $part.Length))) | ForEach-Object { $_.ToString('x2') })
            [pscustomobject]@{ Name = "$($secret.Name) (whole)"; Text = $value }
            [pscustomobject]@{ Name = "$($secret.Name) (distinctive part)"; Text = $part }
            [pscustomobject]@{ Name = "$($secret.Name) (as a serialized SecureString)"; Text = $hex }
        }
    }

    # The secrets found in $Text, as '<channel>: <secret>' lines; none when it holds none.
    function Find-Leak {
        param([string] $Channel, [AllowEmptyString()] [string] $Text, [object[]] $Needles)
        foreach ($needle in $Needles) {
            if ($Text.IndexOf($needle.Text, [StringComparison]::OrdinalIgnoreCase) -ge 0) { "${Channel}: $($needle.Name)" }
        }
    }

    # Every way an object is shown or saved.
    function Get-Rendering {
        param($InputObject)
        $file = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-secrets-{0}.xml" -f [guid]::NewGuid())
        try {
            $InputObject | Export-Clixml -LiteralPath $file -Depth 5
            $clixml = Get-Content -Raw -LiteralPath $file
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        [ordered]@{
            'Out-String'              = $InputObject | Out-String -Width 500
            'ToString()'              = "$InputObject"
            'Format-List *'           = $InputObject | Format-List * -Force | Out-String -Width 500
            'Format-Table *'          = $InputObject | Format-Table * -Force | Out-String -Width 500
            'ConvertTo-Json -Depth 5' = ConvertTo-Json -InputObject $InputObject -Depth 5 -WarningAction SilentlyContinue
            'Export-Clixml'           = $clixml
        }
    }

    # Every way an ErrorRecord is shown or saved.
    function Get-ErrorText {
        param([System.Management.Automation.ErrorRecord] $Record)
        $file = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-secrets-{0}.xml" -f [guid]::NewGuid())
        try {
            $Record | Export-Clixml -LiteralPath $file
            $clixml = Get-Content -Raw -LiteralPath $file
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        $texts = [ordered]@{
            'message'           = $Record | Out-String -Width 500
            'Format-List *'     = $Record | Format-List * -Force | Out-String -Width 500
            'exception'         = $Record.Exception.ToString() + ($Record.Exception | Format-List * -Force | Out-String -Width 500)
            'ErrorDetails'      = "$($Record.ErrorDetails.Message) $($Record.ErrorDetails.RecommendedAction)"
            'InvocationInfo'    = $Record.InvocationInfo | Format-List * -Force | Out-String -Width 500
            'target'            = "$($Record.TargetObject) $($Record.CategoryInfo)"
            'Export-Clixml'     = $clixml
        }
        if (Get-Command Get-Error -ErrorAction SilentlyContinue) { $texts['Get-Error'] = Get-Error -InputObject $Record | Out-String -Width 500 }
        $texts
    }

    function Get-ErrorId {
        param([object[]] $Records)
        @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object -Unique)
    }

    # The scenario in a console pwsh with a transcript; $Setup sets its preferences, $Answers answers its prompts.
    function Invoke-ConsoleScenario {
        param([string] $Setup, [string[]] $Answers = @())
        $id = [guid]::NewGuid()
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "clerksessions-transcript-$id.txt"
        $secretsFile = Join-Path ([IO.Path]::GetTempPath()) "clerksessions-secrets-$id.json"
        $script = @"
`$ModuleManifest = '$moduleManifest'
`$ServerUrl = '$($server.BaseUrl)'
`$Found = [System.Collections.Generic.List[object]]::new()
`$ProgressPreference = 'SilentlyContinue'
`$null = Start-Transcript -LiteralPath '$transcript'
$Setup
try {
$scenario
}
finally {
    `$null = Stop-Transcript
    ConvertTo-Json -InputObject @(`$Found) | Set-Content -LiteralPath '$secretsFile'
}
"@
        try {
            $run = Invoke-ChildPwsh -Script $script -Answers $Answers -TimeoutSeconds 300
            [pscustomobject]@{
                Transcript = Get-Content -Raw -LiteralPath $transcript
                Console    = $run.Output + $run.Errors
                # Piped on, so that Windows PowerShell's ConvertFrom-Json, which writes an array as one object, gives its items.
                Secrets    = @(Get-Content -Raw -LiteralPath $secretsFile | ConvertFrom-Json | ForEach-Object { $_ })
            }
        }
        finally {
            Remove-Item -LiteralPath $transcript, $secretsFile -ErrorAction SilentlyContinue
        }
    }
}

AfterAll {
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
    Stop-RecordedServer $server
}

Describe 'Secrets in the streams, the output and the errors of every cmdlet that handles one' -ForEach @(@{ Preferences = $preferences }) {
    BeforeAll {
        $runs = @{}
        foreach ($preference in $Preferences) {
            $runs[$preference] = Invoke-Scenario -Preference $preference
        }
        $continue = $runs['Continue']
    }

    It 'collects the secrets in play: the keys, every session token and refresh token' {
        foreach ($run in $runs.Values) {
            $names = @($run.Secrets.Name | Sort-Object -Unique)
            $names | Should -Contain 'the emulator''s secret key'
            $names | Should -Contain 'a rejected secret key'
            $names | Should -Contain 'a refreshed session token'
            $names | Should -Contain 'the session token of a refresh cookie'
            $names | Should -Contain 'a refresh token'
            @($run.Secrets).Count | Should -Be 16
        }
    }

    It 'writes no secret in the output stream: <Rendering> of every object' -ForEach @(
        @{ Rendering = 'Out-String' }
        @{ Rendering = 'ToString()' }
        @{ Rendering = 'Format-List *' }
        @{ Rendering = 'Format-Table *' }
        @{ Rendering = 'ConvertTo-Json -Depth 5' }
        @{ Rendering = 'Export-Clixml' }
    ) {
        $needles = @(Get-Needle $continue.Secrets)
        $types = @($continue.Output | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique)
        foreach ($type in 'ClerkSessions.Emulator.ClerkEmulator', 'ClerkSessions.Connections.ClerkConnection', 'ClerkSessions.Core.Models.ClerkSession',
            'ClerkSessions.Core.Models.ClerkSessionToken', 'ClerkSessions.Core.Models.ClerkSessionCookies', 'ClerkSessions.Core.Tokens.SessionTokenVerification',
            'ClerkSessions.Emulator.EmulatorRequest') {
            $types | Should -Contain $type
        }

        $leaks = foreach ($object in $continue.Output) {
            Find-Leak -Channel "$($object.PSObject.TypeNames[0]) $Rendering" -Text (Get-Rendering $object)[$Rendering] -Needles $needles
        }
        @($leaks | Sort-Object -Unique) | Should -BeNullOrEmpty
    }

    It 'writes no secret in an ErrorRecord (message, exception, ErrorDetails, InvocationInfo, target, Export-Clixml), nor in $Error, at <_>' -ForEach $preferences {
        $run = $runs[$_]
        $needles = @(Get-Needle $run.Secrets)
        # The failures the scenario causes, each of which could echo a secret: 401 (a rejected key, a refused refresh,
        # an answer naming the key), 400 and a proxy's page naming the tokens, 404, 410, a token given as a session id.
        $expected = 'ClerkSecretKeyRejected', 'ClerkSessionRefreshRefused', 'ClerkInvalidRequest', 'ClerkSessionNotFound', 'ClerkEndpointRetired', 'ClerkInvalidArgument', 'ClerkServerError'
        $ids = Get-ErrorId $run.Errors
        foreach ($id in $expected) { $ids | Should -Contain $id }
        if ($_ -ne 'SilentlyContinue') {
            $streamIds = Get-ErrorId $run.Streams['Error']
            foreach ($id in $expected | Where-Object { $_ -ne 'ClerkSecretKeyRejected' }) { $streamIds | Should -Contain $id }
        }

        # $Error holds what the error stream got, and the terminating errors the scenario caught.
        $records = @($run.Errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        foreach ($written in $run.Streams['Error']) {
            if (-not ($records | Where-Object { [object]::ReferenceEquals($_, $written) })) { $records += $written }
        }
        $leaks = foreach ($record in $records) {
            $texts = Get-ErrorText $record
            foreach ($part in $texts.Keys) {
                Find-Leak -Channel "$($record.FullyQualifiedErrorId) $part" -Text $texts[$part] -Needles $needles
            }
        }
        @($leaks | Sort-Object -Unique) | Should -BeNullOrEmpty
    }

    It 'writes no secret in the <Stream> stream at any preference' -ForEach @(
        @{ Stream = 'Warning'; Shown = 'canary: the warning stream' }
        @{ Stream = 'Verbose'; Shown = 'POST /v1/sessions/*/refresh -> 200' }
        @{ Stream = 'Debug'; Shown = '*"expired_token":"`[redacted`]"*' }
        @{ Stream = 'Information'; Shown = 'canary: the information stream' }
        @{ Stream = 'Progress'; Shown = '*' }
    ) {
        # The stream is captured, and at Continue holds what it should: the refresh requests and their redacted bodies.
        $shownAtContinue = @($continue.Streams[$Stream] | Where-Object { "$_" -like "*$Shown*" -or ($_ -is [System.Management.Automation.ProgressRecord] -and $_.StatusDescription) })
        $shownAtContinue | Should -Not -BeNullOrEmpty
        if ($Stream -eq 'Debug' -and $runs.ContainsKey('-Debug')) {
            @($runs['-Debug'].Streams['Debug'] | Where-Object { "$_" -like '*"refresh_token":"`[redacted`]"*' }) | Should -Not -BeNullOrEmpty
        }

        $leaks = foreach ($run in $runs.Values) {
            $needles = @(Get-Needle $run.Secrets)
            foreach ($record in $run.Streams[$Stream]) {
                $text = ($record | Out-String -Width 500) + ($record | Format-List * -Force | Out-String -Width 500)
                Find-Leak -Channel "$($run.Preference) $Stream" -Text $text -Needles $needles
            }
        }
        @($leaks | Sort-Object -Unique) | Should -BeNullOrEmpty
    }

    It 'keeps no secret in the request log: refresh and verify bodies redacted, the Authorization header not kept' {
        $requests = @($continue.Output | Where-Object { $_ -is [ClerkSessions.Emulator.EmulatorRequest] })
        $refreshes = @($requests | Where-Object Operation -eq 'RefreshSession')
        $refreshes.Count | Should -BeGreaterOrEqual 4
        foreach ($refresh in $refreshes) {
            $refresh.Body | Should -Match '"expired_token":"\[redacted\]"'
            $refresh.Body | Should -Match '"refresh_token":"\[redacted\]"'
            $refresh.Body | Should -Match '"request_origin":"https://app\.example\.com"'
        }
        ($requests | Where-Object Operation -eq 'VerifySession').Body | Should -Match '"token":"\[redacted\]"'

        $needles = @(Get-Needle $continue.Secrets)
        $leaks = foreach ($request in $requests) {
            $rendered = Get-Rendering $request
            foreach ($rendering in $rendered.Keys) { Find-Leak -Channel "request $($request.Sequence) $rendering" -Text $rendered[$rendering] -Needles $needles }
        }
        @($leaks | Sort-Object -Unique) | Should -BeNullOrEmpty
    }
}

Describe 'Secrets in the emulator and connection objects once serialized' {
    BeforeAll {
        $keyText = 'sk_test_serialized' + [guid]::NewGuid().ToString('N')
        $key = ConvertTo-SecureString -String $keyText -AsPlainText -Force
        $needles = @(Get-Needle @([pscustomobject]@{ Name = 'the emulator''s secret key'; Value = $keyText }))
    }

    It 'writes neither the key nor the tokens into Export-Clixml: Import-Clixml gives everything else back' {
        $emulator = Start-ClerkEmulator -SecretKey $key
        try {
            $connection = $emulator | Connect-Clerk -PassThru
            $sessionId = (Get-ClerkSession -UserId $emulator.UserIds[0] -Status active -Connection $connection)[0].Id
            $token = New-ClerkSessionToken -SessionId $sessionId -Connection $connection
            $browser = $emulator.GetBrowserTokens($sessionId)
            $cookies = Update-ClerkSession -SessionId $sessionId -ExpiredToken $browser.ExpiredToken -RefreshToken $browser.RefreshToken -RequestOrigin $browser.RequestOrigin -Format Cookie -Connection $connection
            $secrets = @($needles) + @(Get-Needle @(
                    [pscustomobject]@{ Name = 'a session token'; Value = (New-Object System.Net.NetworkCredential('', $token.Token)).Password }
                    [pscustomobject]@{ Name = 'an expired session token'; Value = (New-Object System.Net.NetworkCredential('', $browser.ExpiredToken)).Password }
                    [pscustomobject]@{ Name = 'a refresh token'; Value = (New-Object System.Net.NetworkCredential('', $browser.RefreshToken)).Password }
                    [pscustomobject]@{ Name = 'a refresh cookie'; Value = ((New-Object System.Net.NetworkCredential('', $cookies.Cookies[0])).Password -split '[=;]')[1] }))

            $file = Join-Path $TestDrive 'objects.xml'
            $emulator, $connection, $token, $browser, $cookies | Export-Clixml -LiteralPath $file
            $leaks = Find-Leak -Channel 'Export-Clixml' -Text (Get-Content -Raw -LiteralPath $file) -Needles $secrets
            @($leaks) | Should -BeNullOrEmpty

            $imported = @(Import-Clixml -LiteralPath $file)
            $imported[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.ClerkSessions.Emulator.ClerkEmulator'
            $imported[0].ApiUrl | Should -Be $emulator.ApiUrl.ToString()
            $imported[0].UserIds | Should -Be $emulator.UserIds
            $imported[0].PSObject.Properties.Name | Should -Not -Contain 'SecretKey'
            $imported[1].MaskedSecretKey | Should -Be $connection.MaskedSecretKey
            $imported[2].SessionId | Should -Be $sessionId
            $imported[2].ExpiresAt | Should -Not -BeNullOrEmpty
            $imported[2].PSObject.Properties.Name | Should -Not -Contain 'Token'
            $imported[3].PSObject.Properties.Name | Should -Not -Contain 'RefreshToken'
            $imported[4].Names | Should -Be @('__session', '__client_uat')
            $imported[4].PSObject.Properties.Name | Should -Not -Contain 'Cookies'
            Disconnect-Clerk -Connection $connection
        }
        finally {
            $emulator | Stop-ClerkEmulator
        }
    }

    It 'sends no key out of a job: the emulator a job writes arrives without it' {
        $received = Start-Job -ScriptBlock {
            param($Manifest, $KeyText)
            Import-Module $Manifest
            $emulator = Start-ClerkEmulator -SecretKey (ConvertTo-SecureString -String $KeyText -AsPlainText -Force)
            $emulator
            $emulator | Connect-Clerk -PassThru
            $emulator | Stop-ClerkEmulator
        } -ArgumentList $moduleManifest, $keyText | Receive-Job -Wait -AutoRemoveJob
        @($received).Count | Should -Be 2
        $received[0].ApiUrl | Should -Match '^http://127\.0\.0\.1:\d+/v1/$'
        $received[0].PSObject.Properties.Name | Should -Not -Contain 'SecretKey'
        $received[1].MaskedSecretKey | Should -Be ('sk_test_' + [char]0x2026 + $keyText.Substring($keyText.Length - 4))
        $leaks = foreach ($object in $received) {
            $rendered = Get-Rendering $object
            foreach ($rendering in $rendered.Keys) { Find-Leak -Channel "job output $rendering" -Text $rendered[$rendering] -Needles $needles }
        }
        @($leaks) | Should -BeNullOrEmpty
    }
}

Describe 'Secrets in what a console shows and its transcript' {
    It 'writes no secret in the transcript or the console of a pwsh -NoProfile running every cmdlet with -Verbose -Debug' {
        $run = Invoke-ConsoleScenario -Setup "`$PSDefaultParameterValues['*-Clerk*:Verbose'] = `$true; `$PSDefaultParameterValues['*-Clerk*:Debug'] = `$true"
        $run.Secrets.Count | Should -Be 16
        # What the transcript holds: the objects, the verbose lines, the redacted bodies, the errors.
        $run.Transcript | Should -Match 'MaskedSecretKey\s*:\s*sk_test_'
        $run.Transcript | Should -Match 'VERBOSE: POST /v1/sessions/\w+/refresh -> 200'
        $run.Transcript | Should -Match 'DEBUG: Request POST /v1/sessions/\w+/refresh'
        $run.Transcript | Should -Match '"refresh_token":"\[redacted\]"'
        $run.Transcript | Should -Match 'ClerkSessionRefreshRefused|Clerk refused to refresh'

        $needles = @(Get-Needle $run.Secrets)
        @(Find-Leak -Channel 'transcript' -Text $run.Transcript -Needles $needles) | Should -BeNullOrEmpty
        @(Find-Leak -Channel 'console' -Text $run.Console -Needles $needles) | Should -BeNullOrEmpty
    }

    It 'writes no secret when every debug and verbose line asks first (Inquire: what -Debug means in Windows PowerShell 5.1), answered Yes to All' {
        $run = Invoke-ConsoleScenario -Setup "`$DebugPreference = 'Inquire'; `$VerbosePreference = 'Inquire'" -Answers (@('A') * 400)
        $run.Secrets.Count | Should -Be 16
        # The questions were asked and answered, and the lines they asked about were shown.
        $run.Console | Should -Match 'Continue with this operation\?'
        $run.Transcript | Should -Match 'DEBUG: Request POST /v1/sessions/\w+/refresh'
        $run.Transcript | Should -Match '"expired_token":"\[redacted\]"'

        $needles = @(Get-Needle $run.Secrets)
        @(Find-Leak -Channel 'transcript' -Text $run.Transcript -Needles $needles) | Should -BeNullOrEmpty
        @(Find-Leak -Channel 'console' -Text $run.Console -Needles $needles) | Should -BeNullOrEmpty
    }
}
