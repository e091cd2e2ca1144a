#Requires -Version 5.1
# Pester 5 suite: the staged module against the recorded-response server. Run it with tests/Invoke-PesterSuite.ps1,
# which sets CLERKSESSIONS_MODULE_PATH, CLERKSESSIONS_TEST_SERVER and CLERKSESSIONS_RECORDINGS.

BeforeDiscovery {
    # The help tests run once per exported cmdlet; 'exports exactly its cmdlets' checks that list itself.
    $cmdletNames = @((Import-PowerShellDataFile -LiteralPath (Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1')).CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $server = $null
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    $recordings = $env:CLERKSESSIONS_RECORDINGS
    Import-Module $moduleManifest -Force -ErrorAction Stop

    $server = Start-RecordedServer
    $baseUrl = $server.BaseUrl
    $rootUrl = $server.RootUrl
    $secretKey = ConvertTo-SecureString -String 'sk_test_recorded0000wxyz' -AsPlainText -Force
    $rejectedKey = ConvertTo-SecureString -String 'sk_test_rejected0000abcd' -AsPlainText -Force
    $refreshBody = (Get-Content -Raw -LiteralPath (Join-Path $recordings 'RefreshSession-200-token.json') | ConvertFrom-Json).request.body

    function Connect-TestServer {
        param([securestring] $Key = $secretKey)
        Connect-Clerk -SecretKey $Key -ApiUrl $baseUrl -MaxRetries 0
    }

    function Get-ServerRequest {
        param([string] $Method, [string] $PathLike = '*')
        Get-RecordedRequest -Server $server -Method $Method -PathLike $PathLike
    }

    # Runs $Script with no connection and no $env:CLERK_SECRET_KEY, restoring the variable afterwards.
    function Invoke-Disconnected {
        param([scriptblock] $Script)
        Disconnect-Clerk
        $saved = $env:CLERK_SECRET_KEY
        $env:CLERK_SECRET_KEY = $null
        try {
            & $Script
        }
        finally {
            $env:CLERK_SECRET_KEY = $saved
        }
    }

    function Clear-ServerRequest {
        Clear-RecordedRequest -Server $server
    }

    Connect-TestServer
}

AfterAll {
    Disconnect-Clerk
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
    Stop-RecordedServer $server
}

Describe 'The module' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest -Path $moduleManifest -ErrorAction Stop
        $manifest.Name | Should -Be 'ClerkSessions'
        $manifest.ExportedCmdlets.Keys | Sort-Object | Should -Be @(
            'Add-ClerkEmulatorFault', 'Connect-Clerk', 'Disconnect-Clerk', 'Get-ClerkConnection', 'Get-ClerkEmulator',
            'Get-ClerkEmulatorRequest', 'Get-ClerkSession', 'New-ClerkSession', 'New-ClerkSessionToken', 'Reset-ClerkEmulator',
            'Revoke-ClerkSession', 'Set-ClerkEmulator', 'Start-ClerkEmulator', 'Stop-ClerkEmulator', 'Test-ClerkSession',
            'Test-ClerkSessionToken', 'Update-ClerkSession')
    }

    It 'exports exactly its cmdlets and nothing else' {
        $commands = @(Get-Command -Module ClerkSessions)
        $commands.Count | Should -Be 17
        $commands | ForEach-Object { $_.CommandType | Should -Be 'Cmdlet' }
    }

    It 'formats sessions as tables grouped by UserId that fit 80 and 120 columns' {
        # Out-String without Format-Table: the module's view must be the default. Real Clerk ids are 32 characters,
        # which the recordings' ids are not, so sessions with such ids are made here; saved and re-imported ones
        # (Deserialized.*, whose DateTimeOffset values are property bags) must show the same. ANSI styling is removed.
        $lastActive = 1795426860000
        $expire = 1796031660000
        $userA = 'user_2xKp8Yq3Lm9Nw4Rt6Vb1Zc0Df7G'
        $userB = 'user_2xNr4Bt7Wy0Qe3Ui6Op9As2Df5G'
        $made = @(
            [ClerkSessions.Core.Models.ClerkSession]@{ Id = 'sess_2xKq1Hn5Rw8Tz3Yb6Mc9Ld4Fg2J'; UserId = $userA; Status = 'abandoned'; LastActiveAtUnixMs = $lastActive; ExpireAtUnixMs = $expire }
            [ClerkSessions.Core.Models.ClerkSession]@{ Id = 'sess_2xMb3Gc6Ty9Fp2Ln5Vz8Qk1Rd4S'; UserId = $userA; Status = 'active'; LastActiveAtUnixMs = $lastActive; ExpireAtUnixMs = $expire }
            [ClerkSessions.Core.Models.ClerkSession]@{ Id = 'sess_2xPc7Hd2Uy5Gq8Mo1Wa4Rl7Se0T'; UserId = $userB; Status = 'revoked'; LastActiveAtUnixMs = $lastActive; ExpireAtUnixMs = $expire }
        )
        $made | Export-Clixml -LiteralPath (Join-Path $TestDrive 'sessions.xml')
        $imported = @(Import-Clixml -LiteralPath (Join-Path $TestDrive 'sessions.xml'))
        $imported[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.ClerkSessions.Core.Models.ClerkSession'
        $times = '{0}\s+{1}\s*$' -f ([DateTimeOffset]::FromUnixTimeMilliseconds($lastActive).ToLocalTime().ToString('yyyy-MM-dd HH:mm')),
            ([DateTimeOffset]::FromUnixTimeMilliseconds($expire).ToLocalTime().ToString('yyyy-MM-dd HH:mm'))

        foreach ($width in 80, 120) {
            $recorded = (Get-ClerkSession -SessionId sess_active_0001 | Out-String -Width $width) -replace "$([char]27)\[[0-9;]*m", ''
            $recorded | Should -Match '(?m)^\s+UserId: user_0001\s*$'
            $recorded | Should -Match '(?m)^Id\s+Status\s+LastActiveAt\s+ExpireAt\s*$'
            $recorded | Should -Match '(?m)^sess_active_0001\s+active\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s*$'

            foreach ($sessions in @(, $made) + @(, $imported)) {
                $table = ($sessions | Out-String -Width $width) -replace "$([char]27)\[[0-9;]*m", ''
                $lines = @($table -split '\r?\n')
                @($lines | Where-Object { $_ -match '^\s+UserId: ' } | ForEach-Object { $_.TrimEnd() }) | Should -Be @("   UserId: $userA", "   UserId: $userB")
                @($lines | Where-Object { $_ -match '^Id\s+Status\s+LastActiveAt\s+ExpireAt\s*$' }).Count | Should -Be 2
                foreach ($session in $made) {
                    $table | Should -Match ('(?m)^{0}\s+{1}\s+{2}' -f $session.Id, $session.Status, $times)
                }
                $table | Should -Not -Match ([regex]::Escape([string][char]0x2026))
                ($lines | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual $width
            }
        }
    }

    It 'formats session tokens as a table grouped by UserId that fits 80 and 120 columns, also re-imported' {
        $tokens = @(New-ClerkSessionToken -SessionId sess_active_0001; New-ClerkSessionToken -SessionId sess_active_0001 -TemplateName custom_hasura)
        $tokens | Export-Clixml -LiteralPath (Join-Path $TestDrive 'tokens.xml')
        $imported = @(Import-Clixml -LiteralPath (Join-Path $TestDrive 'tokens.xml'))
        $issued = $tokens[0].IssuedAt.ToLocalTime().ToString('HH:mm:ss')
        $expires = $tokens[0].ExpiresAt.ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss')
        foreach ($width in 80, 120) {
            foreach ($set in @(, $tokens) + @(, $imported)) {
                $table = ($set | Out-String -Width $width) -replace "$([char]27)\[[0-9;]*m", ''
                $table | Should -Match '(?m)^\s+UserId: user_0001\s*$'
                $table | Should -Match '(?m)^SessionId\s+TemplateName\s+IssuedAt\s+ExpiresAt\s*$'
                $table | Should -Match ('(?m)^sess_active_0001\s+{0}\s+{1}\s*$' -f $issued, $expires)
                $table | Should -Match ('(?m)^sess_active_0001\s+custom_hasura\s+{0}\s+{1}\s*$' -f $issued, $expires)
                ($table -split '\r?\n' | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual $width
            }
        }
    }
}

Describe 'Connect-Clerk and Disconnect-Clerk' {
    AfterEach { Connect-TestServer }

    It 'returns a connection that shows the masked key and never the key' {
        $connection = Connect-Clerk -SecretKey $secretKey -ApiUrl $baseUrl -PassThru
        $connection.MaskedSecretKey | Should -Be ('sk_test_' + [char]0x2026 + 'wxyz')
        $connection.Environment | Should -Be 'Development'
        $connection.ApiVersion | Should -Be '2026-05-12'
        $connection.ApiUrl | Should -Be $baseUrl
        ($connection | Format-List * | Out-String) | Should -Not -Match 'recorded0000'
    }

    It 'refuses a malformed key with a terminating error' {
        $bad = ConvertTo-SecureString -String 'pk_test_notasecret' -AsPlainText -Force
        { Connect-Clerk -SecretKey $bad } | Should -Throw -ErrorId 'ClerkSecretKeyInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'
    }

    It 'tells what to do when there is neither a connection nor $env:CLERK_SECRET_KEY' {
        Invoke-Disconnected {
            { Get-ClerkSession -SessionId sess_active_0001 } | Should -Throw -ErrorId 'ClerkNotConnected,ClerkSessions.Cmdlets.GetClerkSessionCommand'
        }
    }

    It 'connects from $env:CLERK_SECRET_KEY and $env:CLERK_API_URL on first use' {
        Disconnect-Clerk
        $savedKey = $env:CLERK_SECRET_KEY
        $savedUrl = $env:CLERK_API_URL
        $env:CLERK_SECRET_KEY = 'sk_test_recorded0000wxyz'
        $env:CLERK_API_URL = $baseUrl
        try {
            (Get-ClerkSession -SessionId sess_active_0001).Id | Should -Be 'sess_active_0001'
        }
        finally {
            $env:CLERK_SECRET_KEY = $savedKey
            $env:CLERK_API_URL = $savedUrl
        }
    }

    It 'says what Disconnect-Clerk closed with -PassThru' {
        $closed = Disconnect-Clerk -PassThru
        $closed.MaskedSecretKey | Should -Be ('sk_test_' + [char]0x2026 + 'wxyz')
        Disconnect-Clerk -PassThru | Should -BeNullOrEmpty
    }

    It 'checks list parameters before it needs a connection' {
        Invoke-Disconnected {
            { Get-ClerkSession -Status active } | Should -Throw -ErrorId 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'
        }
    }

    It 'stops the pipeline when Clerk rejects the key' {
        Connect-TestServer -Key $rejectedKey
        { Get-ClerkSession -SessionId sess_active_0001 } | Should -Throw -ErrorId 'ClerkSecretKeyRejected,ClerkSessions.Cmdlets.GetClerkSessionCommand'
    }
}

Describe 'Get-ClerkSession' {
    BeforeEach { Clear-ServerRequest }

    It 'gets a session by id with typed times' {
        $session = Get-ClerkSession sess_active_0001
        $session.Id | Should -Be 'sess_active_0001'
        $session.Status | Should -Be 'active'
        $session.LastActiveAt | Should -BeOfType [DateTimeOffset]
        $session.LatestActivity.BrowserName | Should -Be 'Chrome'
    }

    It 'takes ids from the pipeline' {
        $sessions = 'sess_active_0001', 'sess_revoked_0001' | Get-ClerkSession
        $sessions.Id | Should -Be @('sess_active_0001', 'sess_revoked_0001')
    }

    It 'reports a missing session as a non-terminating error with Clerk''s message and trace id' {
        $sessions = Get-ClerkSession -SessionId sess_missing_0001, sess_active_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        @($sessions).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'sess_missing_0001'
        $failures[0].ErrorDetails.Message | Should -Match 'No session was found'
        $failures[0].ErrorDetails.Message | Should -Match 'trace id'
    }

    It 'lists every page of a user''s sessions' {
        $sessions = Get-ClerkSession -UserId user_paged_0001 -PageSize 2
        $sessions.Id | Should -Be @('sess_paged_0001', 'sess_paged_0002', 'sess_paged_0003', 'sess_paged_0004', 'sess_paged_0005')
        (Get-ServerRequest -Method GET -PathLike '/v1/sessions').query.offset | Should -Be @('0', '2', '4')
    }

    It 'stops asking for pages once -First is satisfied' {
        $sessions = Get-ClerkSession -UserId user_paged_0001 -PageSize 2 -First 3
        @($sessions).Count | Should -Be 3
        @(Get-ServerRequest -Method GET -PathLike '/v1/sessions').Count | Should -Be 2
    }

    It 'stops asking for pages when Select-Object -First stops the pipeline: at most the page ahead was asked for' {
        $first = Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Select-Object -First 1
        $first.Id | Should -Be 'sess_paged_0001'
        Start-Sleep -Milliseconds 300
        $pages = @(Get-ServerRequest -Method GET -PathLike '/v1/sessions')
        $pages.Count | Should -BeLessOrEqual 2
        @($pages | Where-Object { $_.query.PSObject.Properties['offset'] -and $_.query.offset -eq '4' }).Count | Should -Be 0 -Because 'page 3 is never asked for'
    }

    It 'skips with -Skip and reports the total with -IncludeTotalCount' {
        $output = @(Get-ClerkSession -UserId user_paged_0001 -PageSize 2 -Skip 2 -First 2 -IncludeTotalCount)
        $output.Count | Should -Be 3
        [uint64]$output[0] | Should -Be 5
        $output[1].Id | Should -Be 'sess_paged_0003'
    }

    It 'filters by client and status' {
        $sessions = @(Get-ClerkSession -ClientId client_0001 -Status active -PageSize 10)
        $sessions.Count | Should -Be 1
        (Get-ServerRequest -Method GET -PathLike '/v1/sessions').query.status | Should -Be 'active'
    }

    It 'completes -Status values' {
        $completion = TabExpansion2 -inputScript 'Get-ClerkSession -Status a' -cursorColumn 26
        $completion.CompletionMatches.CompletionText | Should -Contain 'active'
        $completion.CompletionMatches.CompletionText | Should -Contain 'abandoned'
    }

    It 'refuses -First with -SessionId rather than ignoring it' {
        { Get-ClerkSession -SessionId sess_active_0001 -First 1 } | Should -Throw -ErrorId 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'
    }

    It 'reads a status-filtered list whole before writing, so revoking downstream misses nothing' {
        $revoked = Get-ClerkSession -UserId user_paged_0001 -Status active -PageSize 2 | Revoke-ClerkSession -Force
        @($revoked).Count | Should -Be 5
        $log = @(Get-ServerRequest)
        # All three list pages were asked for before the first revoke.
        ($log | Select-Object -First 3).path | Should -Be @('/v1/sessions', '/v1/sessions', '/v1/sessions')
        @($log | Where-Object { $_.path -like '*/revoke' }).Count | Should -Be 5
    }

    It 'refuses to list without a user or a client' {
        { Get-ClerkSession -Status active } | Should -Throw -ErrorId 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'
        @(Get-ServerRequest).Count | Should -Be 0
    }

    It 'shows each request in -Verbose and keeps the key out of -Debug' {
        # $DebugPreference rather than -Debug: in Windows PowerShell 5.1, -Debug means Inquire, which prompts.
        $DebugPreference = 'Continue'
        $output = Get-ClerkSession sess_active_0001 -Verbose 4>&1 5>&1
        $DebugPreference = 'SilentlyContinue'
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $debug = @($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        ($verbose.Message -join "`n") | Should -Match 'GET .*sessions/sess_active_0001.*200'
        $debug.Count | Should -BeGreaterThan 0
        ($debug.Message -join "`n") | Should -Not -Match 'recorded0000'
    }

    It 'shows request lines when $VerbosePreference is set in a script scope (a string, not an ActionPreference)' {
        $VerbosePreference = 'Continue'
        $output = Get-ClerkSession sess_active_0001 4>&1
        $VerbosePreference = 'SilentlyContinue'
        (@($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'GET .*sessions/sess_active_0001'
    }
}

Describe 'Revoke-ClerkSession' {
    BeforeEach { Clear-ServerRequest }

    It 'revokes every session of a user from the pipeline' {
        $revoked = Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -Force
        @($revoked).Count | Should -Be 5
        $revoked | ForEach-Object { $_.Status | Should -Be 'revoked' }
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').Count | Should -Be 5
    }

    It 'sends no revoke request under -WhatIf, even with -Force' {
        Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -WhatIf
        'sess_active_0001' | Revoke-ClerkSession -WhatIf -Force
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').Count | Should -Be 0
    }

    It 'honours $WhatIfPreference' {
        $WhatIfPreference = $true
        try {
            Revoke-ClerkSession -SessionId sess_active_0001
        }
        finally {
            $WhatIfPreference = $false
        }
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').Count | Should -Be 0
    }

    It 'honours $WhatIfPreference even with -Force' {
        $WhatIfPreference = $true
        try {
            Revoke-ClerkSession -SessionId sess_active_0001 -Force
        }
        finally {
            $WhatIfPreference = $false
        }
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').Count | Should -Be 0
    }

    It 'revokes with -Confirm:$false' {
        (Revoke-ClerkSession -SessionId sess_active_0001 -Confirm:$false).Status | Should -Be 'revoked'
    }

    It 'skips finished sessions without a request and says so in -Verbose' {
        $output = Get-ClerkSession -UserId user_0001 -PageSize 10 | Revoke-ClerkSession -Force -Verbose 4>&1
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match "sess_revoked_0001.*'revoked'"
        $verbose | Should -Match '1 revoked, 1 skipped, 0 failed'
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').path | Should -Be @('/v1/sessions/sess_active_0001/revoke')
    }

    It 'revokes an id once per pipeline run' {
        'sess_active_0001', 'sess_active_0001' | Revoke-ClerkSession -Force | Out-Null
        @(Get-ServerRequest -Method POST -PathLike '*/revoke').Count | Should -Be 1
    }

    It 'reports each failure as a non-terminating error naming the session and goes on' {
        $revoked = 'sess_missing_0001', 'sess_active_0001' | Revoke-ClerkSession -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        @($revoked).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkSessionNotFound,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'
        $failures[0].TargetObject | Should -Be 'sess_missing_0001'
    }
}

Describe 'New-ClerkSession' {
    BeforeEach { Clear-ServerRequest }

    It 'creates a session for a user' {
        (New-ClerkSession -UserId user_0001 -Confirm:$false).Id | Should -Be 'sess_created_0001'
    }

    It 'creates nothing under -WhatIf' {
        New-ClerkSession -UserId user_0001 -WhatIf
        @(Get-ServerRequest -Method POST -PathLike '/v1/sessions').Count | Should -Be 0
    }

    It 'passes Clerk''s rejection on as an error' {
        New-ClerkSession -UserId user_0001 -ActiveOrganizationId org_invalid_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkInvalidRequest,ClerkSessions.Cmdlets.NewClerkSessionCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].ErrorDetails.Message | Should -Match 'active_organization_id is invalid'
    }
}

Describe 'Update-ClerkSession' {
    It 'refreshes a session into a new token' {
        $token = Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $refreshBody.expired_token -RefreshToken $refreshBody.refresh_token -RequestOrigin $refreshBody.request_origin -Confirm:$false
        $token.SessionId | Should -Be 'sess_active_0001'
        $token.Token | Should -BeOfType [securestring]
        $token.ExpiresAt | Should -BeOfType [DateTimeOffset]
    }

    It 'takes the tokens as SecureStrings too' {
        $expired = ConvertTo-SecureString -String $refreshBody.expired_token -AsPlainText -Force
        $refresh = ConvertTo-SecureString -String $refreshBody.refresh_token -AsPlainText -Force
        $token = Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $expired -RefreshToken $refresh -RequestOrigin $refreshBody.request_origin -Confirm:$false
        $token.SessionId | Should -Be 'sess_active_0001'
    }

    It 'gives cookies with -Format Cookie' {
        $cookies = Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $refreshBody.expired_token -RefreshToken $refreshBody.refresh_token -RequestOrigin $refreshBody.request_origin -Format Cookie -Confirm:$false
        $cookies.SessionId | Should -Be 'sess_active_0001'
        $cookies.Names | Should -Be @('__session', '__client_uat')
        (New-Object System.Net.NetworkCredential('', $cookies.Cookies[0])).Password | Should -BeLike '__session=*'
    }

    It 'refreshes nothing under -WhatIf' {
        Clear-ServerRequest
        Update-ClerkSession -SessionId sess_active_0001 -ExpiredToken $refreshBody.expired_token -RefreshToken $refreshBody.refresh_token -RequestOrigin $refreshBody.request_origin -WhatIf
        @(Get-ServerRequest -Method POST).Count | Should -Be 0
    }

    It 'says to fall back to the handshake when Clerk refuses' {
        Update-ClerkSession -SessionId sess_refresh_refused_0001 -ExpiredToken $refreshBody.expired_token -RefreshToken $refreshBody.refresh_token -RequestOrigin $refreshBody.request_origin -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkSessionRefreshRefused,ClerkSessions.Cmdlets.UpdateClerkSessionCommand'
        $failures[0].ErrorDetails.Message | Should -Match 'handshake'
        $failures[0].ErrorDetails.Message | Should -Match 'session_refresh_inactive_session'
    }
}

Describe 'New-ClerkSessionToken' {
    It 'returns the token as a SecureString with its session and expiry' {
        $token = New-ClerkSessionToken -SessionId sess_active_0001
        $token.SessionId | Should -Be 'sess_active_0001'
        $token.Token | Should -BeOfType [securestring]
        $token.ExpiresAt | Should -BeOfType [DateTimeOffset]
        ($token | Format-List * | Out-String) | Should -Not -Match 'eyJ'
    }

    It 'gives the plain JWT with -AsPlainText' {
        New-ClerkSessionToken -SessionId sess_active_0001 -AsPlainText | Should -BeLike 'eyJ*'
    }

    It 'uses a JWT template and takes the session from the pipeline' {
        $token = Get-ClerkSession sess_active_0001 | New-ClerkSessionToken -TemplateName custom_hasura
        $token.TemplateName | Should -Be 'custom_hasura'
        $token.SessionId | Should -Be 'sess_active_0001'
    }

    It 'creates no token under -WhatIf' {
        Clear-ServerRequest
        New-ClerkSessionToken -SessionId sess_active_0001 -WhatIf
        @(Get-ServerRequest -Method POST).Count | Should -Be 0
    }

    It 'names a missing template' {
        New-ClerkSessionToken -SessionId sess_active_0001 -TemplateName missing_template -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkJwtTemplateNotFound,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'
    }
}

Describe 'Test-ClerkSession -SessionId' {
    It 'is true for an active session' {
        Test-ClerkSession -SessionId sess_active_0001 | Should -BeTrue
    }

    It 'is false for a revoked session and for a missing one, without an error' {
        $results = 'sess_revoked_0001', 'sess_missing_0001' | Test-ClerkSession -ErrorVariable failures
        $results | Should -Be @($false, $false)
        $failures.Count | Should -Be 0
    }

    It 'reports a server failure as an error, not as $false' {
        $result = Test-ClerkSession -SessionId sess_html_502_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkServerError,ClerkSessions.Cmdlets.TestClerkSessionCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].TargetObject | Should -Be 'sess_html_502_0001'
    }
}

# Tokens are signed here with a key made for the run, and its JWKS is scripted into the server. The PEM export used
# below needs .NET 7 or later (PowerShell 7.4+), so Windows PowerShell 5.1 and PowerShell 7.2 skip these.
Describe 'Test-ClerkSessionToken' -Skip:($PSVersionTable.PSEdition -eq 'Desktop' -or [Environment]::Version.Major -lt 7) {
    BeforeAll {
        $signingKey = [System.Security.Cryptography.RSA]::Create(2048)
        $otherKey = [System.Security.Cryptography.RSA]::Create(2048)
        $keyId = 'ins_pester_0001'
        $pem = $signingKey.ExportSubjectPublicKeyInfoPem()

        function ConvertTo-Base64Url {
            param([byte[]] $Bytes)
            [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
        }

        function ConvertTo-JwtPart {
            param($Value)
            ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes(($Value | ConvertTo-Json -Compress)))
        }

        # A session token as Clerk issues it, valid for a minute, with any claim replaced by -Claims.
        function New-TestToken {
            param(
                [hashtable] $Claims = @{},
                [string] $Algorithm = 'RS256',
                [System.Security.Cryptography.RSA] $Key = $signingKey,
                [switch] $Unsigned
            )
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            $payload = [ordered]@{
                azp = 'https://app.example.com'; exp = $now + 60; iat = $now - 5; iss = 'https://clerk.example.com'
                nbf = $now - 10; sid = 'sess_active_0001'; sub = 'user_0001'
            }
            foreach ($name in $Claims.Keys) { $payload[$name] = $Claims[$name] }
            $signingInput = (ConvertTo-JwtPart ([ordered]@{ alg = $Algorithm; kid = $keyId; typ = 'JWT' })) + '.' + (ConvertTo-JwtPart $payload)
            if ($Unsigned) {
                return "$signingInput."
            }
            $signature = $Key.SignData([Text.Encoding]::ASCII.GetBytes($signingInput),
                [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            "$signingInput.$(ConvertTo-Base64Url $signature)"
        }

        $rsaParameters = $signingKey.ExportParameters($false)
        $jwks = @{ keys = @(@{
                    kid = $keyId; kty = 'RSA'; alg = 'RS256'; use = 'sig'
                    n = ConvertTo-Base64Url $rsaParameters.Modulus; e = ConvertTo-Base64Url $rsaParameters.Exponent
                }) }

        # Queues answers for the next requests, whatever they are.
        function Set-ServerScript {
            param([object[]] $Response)
            $json = ConvertTo-Json -InputObject @($Response) -Depth 10
            $null = Invoke-RestMethod -Method Post -Uri ($rootUrl + '_test/script') -Body $json -ContentType 'application/json'
        }
    }

    AfterAll {
        $signingKey.Dispose()
        $otherKey.Dispose()
    }

    BeforeEach {
        Clear-ServerRequest
        # A new connection: a new key cache.
        Connect-TestServer
    }

    It 'verifies tokens against the keys from GET /jwks, read once per connection, without the session endpoints' {
        Set-ServerScript @(@{ body = $jwks })
        Test-ClerkSessionToken -Token (New-TestToken) | Should -BeTrue
        Test-ClerkSessionToken -Token (New-TestToken) -SessionId sess_active_0001 -AuthorizedParty https://app.example.com | Should -BeTrue
        @(Get-ServerRequest -Method GET -PathLike '*/jwks').Count | Should -Be 1
        @(Get-ServerRequest -PathLike '*/sessions*').Count | Should -Be 0
    }

    It 'verifies offline with -JwtKey or $env:CLERK_JWT_KEY, with no connection and no request' {
        $token = New-TestToken
        Invoke-Disconnected {
            Test-ClerkSessionToken -Token $token -JwtKey $pem | Should -BeTrue
            $saved = $env:CLERK_JWT_KEY
            $env:CLERK_JWT_KEY = $pem
            try {
                Test-ClerkSessionToken -Token $token | Should -BeTrue
            }
            finally {
                $env:CLERK_JWT_KEY = $saved
            }
        }
        @(Get-ServerRequest).Count | Should -Be 0
        Connect-TestServer
    }

    It 'takes the token as a SecureString' {
        $secure = ConvertTo-SecureString -String (New-TestToken) -AsPlainText -Force
        Test-ClerkSessionToken -Token $secure -JwtKey $pem | Should -BeTrue
    }

    It 'is $false, not an error, for a <Case> token' -ForEach @(
        @{ Case = 'expired'; Make = { New-TestToken -Claims @{ exp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 60 } }; Extra = @{} }
        @{ Case = 'not yet valid'; Make = { New-TestToken -Claims @{ nbf = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 120 } }; Extra = @{} }
        @{ Case = 'tampered payload'; Make = { $parts = (New-TestToken).Split('.'); $parts[1] = (New-TestToken -Claims @{ sub = 'user_admin' }).Split('.')[1]; $parts -join '.' }; Extra = @{} }
        @{ Case = 'tampered signature'; Make = { $token = New-TestToken; $token.Substring(0, $token.Length - 2) + ($(if ($token[-2] -eq 'A') { 'B' } else { 'A' })) + $token[-1] }; Extra = @{} }
        @{ Case = 'alg none'; Make = { New-TestToken -Algorithm none -Unsigned }; Extra = @{} }
        @{ Case = 'HS256 keyed with the public key'; Make = {
                $signingInput = (ConvertTo-JwtPart ([ordered]@{ alg = 'HS256'; kid = $keyId; typ = 'JWT' })) + '.' + (New-TestToken).Split('.')[1]
                $hmac = [System.Security.Cryptography.HMACSHA256]::new([Text.Encoding]::ASCII.GetBytes($pem))
                try { "$signingInput.$(ConvertTo-Base64Url $hmac.ComputeHash([Text.Encoding]::ASCII.GetBytes($signingInput)))" } finally { $hmac.Dispose() }
            }; Extra = @{} }
        @{ Case = 'other key'; Make = { New-TestToken -Key $otherKey }; Extra = @{} }
        @{ Case = 'wrong authorized party'; Make = { New-TestToken }; Extra = @{ AuthorizedParty = 'https://evil.example.com' } }
        @{ Case = 'wrong session'; Make = { New-TestToken }; Extra = @{ SessionId = 'sess_revoked_0001' } }
        @{ Case = 'garbage'; Make = { 'not.a.jwt' }; Extra = @{} }
    ) {
        $token = & $Make
        $result = Test-ClerkSessionToken -Token $token -JwtKey $pem @Extra -ErrorVariable failures
        $result | Should -BeFalse
        $result | Should -BeOfType [bool]
        $failures.Count | Should -Be 0
    }

    It 'explains a refusal with -Detailed and never shows the token in any stream' {
        $token = New-TestToken -Claims @{ sid = 'sess_other_0001' }
        $result = Test-ClerkSessionToken -Token $token -JwtKey $pem -SessionId sess_active_0001 -Detailed -Verbose -Debug *>&1
        $verification = $result | Where-Object { $_ -is [ClerkSessions.Core.Tokens.SessionTokenVerification] }
        $verification.IsValid | Should -BeFalse
        "$($verification.FailureReason)" | Should -Be 'SessionMismatch'
        $verification.SessionId | Should -Be 'sess_other_0001'
        $verification.Claims['sub'] | Should -Be 'user_0001'
        $everything = $result | Format-List * | Out-String -Width 400
        $everything | Should -Match 'SessionMismatch'
        foreach ($part in $token.Split('.')[1, 2]) {
            $everything | Should -Not -Match ([regex]::Escape($part))
        }
    }

    It 'verifies the output of New-ClerkSessionToken from the pipeline, never taking it for a session id' {
        Set-ServerScript @(@{ body = @{ object = 'token'; jwt = (New-TestToken) } }, @{ body = $jwks })
        New-ClerkSessionToken -SessionId sess_active_0001 | Test-ClerkSessionToken | Should -BeTrue
        @(Get-ServerRequest -Method GET -PathLike '*/jwks').Count | Should -Be 1
        @(Get-ServerRequest -Method GET -PathLike '*/sessions/*').Count | Should -Be 0
    }

    It 'checks a piped token object against the session it names, binding its Token and SessionId' {
        $piped = [ClerkSessions.Core.Tokens.ClerkSessionTokenReader]::FromJwt('sess_other_0001', $null, (New-TestToken))
        $run = Invoke-WithBindingTrace -Command 'Test-ClerkSessionToken' -Script { $piped | Test-ClerkSessionToken -JwtKey $pem -Detailed }
        $run.PipelineBound | Sort-Object | Should -Be @('SessionId', 'Token')
        $run.Output.IsValid | Should -BeFalse
        "$($run.Output.FailureReason)" | Should -Be 'SessionMismatch'
        $run.Output.SessionId | Should -Be 'sess_active_0001'
        ([ClerkSessions.Core.Tokens.ClerkSessionTokenReader]::FromJwt('sess_active_0001', $null, (New-TestToken)) | Test-ClerkSessionToken -JwtKey $pem) | Should -BeTrue
    }

    It 'says the verify endpoint is retired and to drop -UseVerifyEndpoint' {
        $result = Test-ClerkSessionToken -Token (New-TestToken) -SessionId sess_active_0001 -UseVerifyEndpoint -ErrorAction SilentlyContinue -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClerkEndpointRetired,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $failures[0].ErrorDetails.Message | Should -Match 'Drop -UseVerifyEndpoint'
        @(Get-ServerRequest -Method POST -PathLike '*/sessions/sess_active_0001/verify').Count | Should -Be 1
    }

    It 'stops on an unusable -JwtKey without repeating it' {
        { Test-ClerkSessionToken -Token (New-TestToken) -JwtKey 'MIIBnotakey' } | Should -Throw -ErrorId 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'
    }
}

# Skipped only when Invoke-PesterSuite.ps1 -SkipHelp says the module was staged without help (build.ps1 -SkipHelp).
Describe 'Help' -Skip:($env:CLERKSESSIONS_SKIP_HELP -eq 'true') {
    BeforeAll {
        $docs = Join-Path (Split-Path -Parent $PSScriptRoot) 'docs'
        $helpDir = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'en-US'

        # The text under '## SYNOPSIS' of a docs page, as one line.
        function Get-DocsSynopsis {
            param([string] $Name)
            $lines = Get-Content -LiteralPath (Join-Path $docs "$Name.md")
            $start = [Array]::IndexOf($lines, '## SYNOPSIS') + 1
            $end = [Array]::IndexOf($lines, '## SYNTAX')
            (($lines[$start..($end - 1)] | Where-Object { $_.Trim() }) -join ' ').Trim()
        }
    }

    It 'ships MAML under the assembly name and the about topic as text' {
        Join-Path $helpDir 'ClerkSessions.dll-Help.xml' | Should -Exist
        Join-Path $helpDir 'about_ClerkSessions.help.txt' | Should -Exist
    }

    It 'gives <_> the synopsis of its docs page' -ForEach $cmdletNames {
        (Get-Help -Name $_).Synopsis.Trim() | Should -Be (Get-DocsSynopsis -Name $_)
    }

    It 'describes every parameter of <_>' -ForEach $cmdletNames {
        $common = 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
            'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable'
        $expected = @((Get-Command -Name $_).Parameters.Keys | Where-Object { $common -notcontains $_ })
        # A cmdlet with only common parameters (Get-ClerkConnection) has no parameter entries in its help.
        $parameters = (Get-Help -Name $_ -Full).parameters
        $help = if ($parameters -and $parameters.PSObject.Properties['parameter']) { @($parameters.parameter) } else { @() }
        foreach ($name in $expected) {
            $parameter = $help | Where-Object { $_.name -eq $name }
            $parameter | Should -Not -BeNullOrEmpty -Because "-$name must be in the help"
            ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'shows the bulk revoke among the examples of Revoke-ClerkSession, as code followed by its output' {
        $examples = @((Get-Help -Name Revoke-ClerkSession -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        $examples[0].code.Trim() | Should -Match '^Get-ClerkSession -UserId \S+ \| Revoke-ClerkSession -WhatIf$'
        ($examples[0].remarks | Out-String) | Should -Match 'What if: Performing the operation "Revoke"'
        (Get-Help -Name Revoke-ClerkSession -Examples | Out-String) | Should -Not -Match '```'
    }

    It 'gives every example of <_> its command as code' -ForEach $cmdletNames {
        $examples = @((Get-Help -Name $_ -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match ([regex]::Escape($_))
        }
    }

    It 'finds about_ClerkSessions with its sections' {
        $text = Get-Help -Name about_ClerkSessions | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'BULK REVOKE SAFETY'
        $text | Should -Match 'THE RETIRED VERIFY ENDPOINT'
        $text | Should -Not -Match '```'
    }
}
