#Requires -Version 5.1
# Bad input gets a clear error and sends nothing. One row per case: the command, the error it must give (its
# FullyQualifiedErrorId; the engine's own for parameter binding), and every request it may send: none, or the one
# request an odd but legal value makes, escaped so that it still addresses the resource it names. Token rows expect
# no error but a FailureReason from Test-ClerkSessionToken -Detailed. The commands run against an emulator; its request
# log says what was sent. {session} and {user} in a row stand for the emulator's active session and its user.
# The second table needs keys made here (PEM export), so it is skipped below PowerShell 7.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop

    $emulator = Start-ClerkEmulator -UserCount 1 -SessionsPerUser 2 -Seed 13
    $null = $emulator | Connect-Clerk -MaxRetries 0
    $user = $emulator.UserIds[0]
    $session = (Get-ClerkSession -UserId $user -Status active -First 1).Id
    # A genuine session token of the emulator's, for the rows that spoil one; it outlives the run.
    $sessionToken = New-ClerkSessionToken -SessionId $session -ExpiresInSeconds 3600 -AsPlainText -Confirm:$false

    function ConvertTo-Base64Url {
        param([byte[]] $Bytes)
        [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }

    # The emulator's token with an unsigned 'alg: none' header in place of its own.
    function New-UnsignedToken {
        $header = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{"alg":"none","typ":"JWT"}'))
        $header + '.' + $sessionToken.Split('.')[1] + '.'
    }

    # Runs a row's command from a clean emulator and connection (a new one: no cached keys). Returns what it wrote,
    # its errors (non-terminating or terminating) and the requests the emulator received, as 'METHOD /path?query'.
    function Invoke-Case {
        param([Parameter(Mandatory)] [scriptblock] $Command)
        Reset-ClerkEmulator -Emulator $emulator
        $null = $emulator | Connect-Clerk -MaxRetries 0
        $ErrorActionPreference = 'Continue'
        try {
            $all = @(& $Command 2>&1)
        }
        catch {
            $all = @($_)
        }

        [pscustomobject]@{
            Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Requests = @(Get-ClerkEmulatorRequest -Emulator $emulator | ForEach-Object {
                    $_.Method + ' ' + $_.Path + $(if ($_.Query) { '?' + $_.Query } else { '' })
                })
        }
    }

    # Asserts a row: the one error it expects (a clear message: short, one line, no secret), or the failure reason of a
    # token, and exactly the requests it may send.
    function Assert-Case {
        param($Result, [string] $ErrorId, [string] $Reason, [string[]] $Sent)
        $expected = @($Sent | ForEach-Object { $_.Replace('{session}', $session).Replace('{user}', $user) })
        if ($ErrorId) {
            @($Result.Errors | ForEach-Object { $_.FullyQualifiedErrorId }) | Should -Be @($ErrorId)
            $message = if ($Result.Errors[0].ErrorDetails) { $Result.Errors[0].ErrorDetails.Message } else { $Result.Errors[0].Exception.Message }
            $message | Should -Not -BeNullOrEmpty
            $message | Should -Not -Match '[\x00-\x1f\x7f]'
            $message.Length | Should -BeLessThan 500
            $message | Should -Not -Match 'hunter2'
        }
        else {
            $Result.Errors | Should -BeNullOrEmpty
        }

        if ($Reason) {
            $Result.Output.Count | Should -Be 1
            $Result.Output[0].IsValid | Should -BeFalse
            "$($Result.Output[0].FailureReason)" | Should -Be $Reason
        }

        # As text, one request a line: an empty list compares as such, and a failure shows what was sent.
        ($Result.Requests -join "`n") | Should -Be ($expected -join "`n")
    }
}

AfterAll {
    Disconnect-Clerk
    $emulator | Stop-ClerkEmulator
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
}

Describe 'Bad input gets a clear error and sends nothing' {
    It '<Name>' -ForEach @(
        # Session ids: refused before sending, or sent escaped so that they address one session.
        @{ Name = 'an empty session id'; Command = { Get-ClerkSession -SessionId '' }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a white-space session id'; Command = { Get-ClerkSession -SessionId '   ' }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a session id with a line break'; Command = { Get-ClerkSession -SessionId "sess_`r`nX-Injected: 1" }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a session id with an escape sequence'; Command = { Get-ClerkSession -SessionId "sess_$([char]27)[2J" }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a 5,000-character session id'; Command = { Get-ClerkSession -SessionId ('s' * 5000) }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a non-ASCII session id, sent percent-encoded'; Command = { Get-ClerkSession -SessionId "sess_$([char]0xE9)$([char]0x65E5)" }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/sess_%C3%A9%E6%97%A5') }
        @{ Name = 'a session id with ../, kept in its segment'; Command = { Get-ClerkSession -SessionId '../users' }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/..%2Fusers') }
        @{ Name = 'the session id ..'; Command = { Get-ClerkSession -SessionId '..' }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a session id with ?, not a query'; Command = { Get-ClerkSession -SessionId 'a?b' }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/a%3Fb') }
        @{ Name = 'a session id with #, not a fragment'; Command = { Get-ClerkSession -SessionId 'a#b' }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/a%23b') }
        @{ Name = 'a session id with %2F, not a slash'; Command = { Get-ClerkSession -SessionId 'a%2Fb' }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/a%252Fb') }
        @{ Name = 'Revoke-ClerkSession with an empty session id'; Command = { Revoke-ClerkSession -SessionId '' -Force }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Revoke-ClerkSession with a white-space session id'; Command = { Revoke-ClerkSession -SessionId ' ' -Force }; ErrorId = 'ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Revoke-ClerkSession with a NUL in the session id'; Command = { Revoke-ClerkSession -SessionId "sess_$([char]0)x" -Force }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Revoke-ClerkSession with the session id .'; Command = { Revoke-ClerkSession -SessionId '.' -Force }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Revoke-ClerkSession with ../ in the session id, kept in its segment'; Command = { Revoke-ClerkSession -SessionId "../../users/{user}".Replace('{user}', $user) -Force }; ErrorId = 'ClerkSessionNotFound,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @('POST /v1/sessions/..%2F..%2Fusers%2F{user}/revoke') }
        @{ Name = 'Update-ClerkSession with a white-space session id'; Command = { Update-ClerkSession -SessionId ' ' -ExpiredToken x -RefreshToken y -RequestOrigin https://app.example.com -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.UpdateClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Update-ClerkSession with the session id ..'; Command = { Update-ClerkSession -SessionId '..' -ExpiredToken x -RefreshToken y -RequestOrigin https://app.example.com -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.UpdateClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Update-ClerkSession with a header without a name'; Command = { Update-ClerkSession -SessionId $session -ExpiredToken x -RefreshToken y -RequestOrigin https://app.example.com -RequestHeaders @{ ' ' = 'x' } -Confirm:$false }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.UpdateClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'New-ClerkSessionToken with a white-space session id'; Command = { New-ClerkSessionToken -SessionId ' ' -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'Test-ClerkSession with a white-space session id'; Command = { Test-ClerkSession -SessionId ' ' }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.TestClerkSessionCommand'; Reason = $null; Sent = @() }

        # User, client and organization ids.
        @{ Name = 'a white-space user id'; Command = { Get-ClerkSession -UserId ' ' }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a user id with a tab'; Command = { Get-ClerkSession -UserId "user_`t1" }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a 5,000-character user id'; Command = { Get-ClerkSession -UserId ('u' * 5000) }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a user id with & and =, one query value'; Command = { Get-ClerkSession -UserId 'u&limit=1' }; ErrorId = $null; Reason = $null; Sent = @('GET /v1/sessions?user_id=u%26limit%3D1&paginated=true&limit=100&offset=0') }
        @{ Name = 'a client id with a NUL'; Command = { Get-ClerkSession -ClientId "client_$([char]0)" }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'New-ClerkSession with a user id with a line break'; Command = { New-ClerkSession -UserId "user_1`n" -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'New-ClerkSession with a 5,000-character user id'; Command = { New-ClerkSession -UserId ('u' * 5000) -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'New-ClerkSession with a white-space organization id'; Command = { New-ClerkSession -UserId $user -ActiveOrganizationId ' ' -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionCommand'; Reason = $null; Sent = @() }

        # JWT template names.
        @{ Name = 'a white-space template name'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName ' ' -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'the template name ..'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName '..' -Confirm:$false }; ErrorId = 'ClerkInvalidArgument,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a template name with ../, kept in its segment'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName '../../jwks' -Confirm:$false }; ErrorId = 'ClerkJwtTemplateNotFound,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @('POST /v1/sessions/{session}/tokens/..%2F..%2Fjwks') }
        @{ Name = 'a template name with ?, not a query'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName 'a?b=c' -Confirm:$false }; ErrorId = 'ClerkJwtTemplateNotFound,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @('POST /v1/sessions/{session}/tokens/a%3Fb%3Dc') }
        @{ Name = 'a template name with #, not a fragment'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName 'a#b' -Confirm:$false }; ErrorId = 'ClerkJwtTemplateNotFound,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @('POST /v1/sessions/{session}/tokens/a%23b') }
        @{ Name = 'a template name with %2F, not a slash'; Command = { New-ClerkSessionToken -SessionId $session -TemplateName 'a%2F..' -Confirm:$false }; ErrorId = 'ClerkJwtTemplateNotFound,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @('POST /v1/sessions/{session}/tokens/a%252F..') }

        # $null and wrong types in the pipeline.
        @{ Name = '$null piped to Get-ClerkSession'; Command = { $null | Get-ClerkSession }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a hashtable piped to Get-ClerkSession'; Command = { @{ Id = 'sess_1' } | Get-ClerkSession }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a number piped to Get-ClerkSession'; Command = { 42 | Get-ClerkSession }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a CSV row with an empty UserId piped to Get-ClerkSession'; Command = { 'UserId,Reason', ',incident' | ConvertFrom-Csv | Get-ClerkSession }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an object without an id piped to Get-ClerkSession'; Command = { [pscustomobject]@{ Name = 'not a session' } | Get-ClerkSession }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a number as -SessionId'; Command = { Get-ClerkSession -SessionId 42 }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a date piped to New-ClerkSessionToken'; Command = { Get-Date | New-ClerkSessionToken -Confirm:$false }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a hashtable piped to Test-ClerkSession'; Command = { @{ a = 1 } | Test-ClerkSession }; ErrorId = 'ParameterArgumentTransformationError,ClerkSessions.Cmdlets.TestClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = '$null piped to Revoke-ClerkSession'; Command = { $null | Revoke-ClerkSession -Force }; ErrorId = 'ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a date piped to Revoke-ClerkSession'; Command = { Get-Date | Revoke-ClerkSession -Force }; ErrorId = 'ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a number piped to Revoke-ClerkSession'; Command = { 42 | Revoke-ClerkSession -Force }; ErrorId = 'ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }

        # Numbers out of range.
        @{ Name = 'a negative -First'; Command = { Get-ClerkSession -UserId $user -First -1 }; ErrorId = 'CannotConvertArgumentNoMessage,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a -First beyond UInt64'; Command = { Get-ClerkSession -UserId $user -First 1e30 }; ErrorId = 'CannotConvertArgumentNoMessage,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a huge -First, which only lists what there is'; Command = { $null = Get-ClerkSession -UserId $user -First 99999999999999 }; ErrorId = $null; Reason = $null; Sent = @('GET /v1/sessions?user_id={user}&paginated=true&limit=100&offset=0') }
        @{ Name = 'a negative -Skip'; Command = { Get-ClerkSession -UserId $user -Skip -1 }; ErrorId = 'CannotConvertArgumentNoMessage,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a -Skip beyond Clerk''s offsets'; Command = { Get-ClerkSession -UserId $user -Skip 99999999999 }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = '-First with session ids'; Command = { Get-ClerkSession -SessionId $session -First 1 }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a -PageSize of 0'; Command = { Get-ClerkSession -UserId $user -PageSize 0 }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a negative -PageSize'; Command = { Get-ClerkSession -UserId $user -PageSize -5 }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a -PageSize over 500'; Command = { Get-ClerkSession -UserId $user -PageSize 501 }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a -ThrottleLimit of 0'; Command = { Get-ClerkSession -SessionId $session -ThrottleLimit 0 }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a huge -ThrottleLimit'; Command = { Get-ClerkSession -SessionId $session -ThrottleLimit 1000000 }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a negative -ThrottleLimit for Revoke-ClerkSession'; Command = { Revoke-ClerkSession -SessionId $session -ThrottleLimit -1 -Force }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a negative -ExpiresInSeconds'; Command = { New-ClerkSessionToken -SessionId $session -ExpiresInSeconds -1 -Confirm:$false }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an -ExpiresInSeconds under 30'; Command = { New-ClerkSessionToken -SessionId $session -ExpiresInSeconds 29 -Confirm:$false }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an -ExpiresInSeconds over ten years'; Command = { New-ClerkSessionToken -SessionId $session -ExpiresInSeconds 315360001 -Confirm:$false }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an -ExpiresInSeconds beyond Int32'; Command = { New-ClerkSessionToken -SessionId $session -ExpiresInSeconds 99999999999 -Confirm:$false }; ErrorId = 'CannotConvertArgumentNoMessage,ClerkSessions.Cmdlets.NewClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a negative -ClockSkew'; Command = { Test-ClerkSessionToken -Token $sessionToken -ClockSkew '-00:00:01' }; ErrorId = 'ClerkInvalidParameters,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }

        # API URLs and versions.
        @{ Name = 'an ftp API URL'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'ftp://127.0.0.1/v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a file API URL'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'file:///etc/passwd' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a relative API URL'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'http to a host that is not loopback'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'http://api.clerk.com/v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'http to a look-alike of localhost'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'http://localhost.example.com/v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an https API URL with a password, not repeated'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'https://admin:hunter2@api.clerk.com/v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an http API URL with a password, not repeated'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'http://admin:hunter2@api.clerk.com/v1/' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a loopback API URL with a password, not repeated'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl ($emulator.ApiUrl.ToString().Replace('http://', 'http://admin:hunter2@')) }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an API URL with a query, not repeated'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'https://api.clerk.com/v1/?token=hunter2' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an API URL with a fragment'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl 'https://api.clerk.com/v1/#hunter2' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an empty API version'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -ApiVersion '' }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'the API version latest'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -ApiVersion 'latest' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an API version that is no date'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -ApiVersion '2026-13-45' }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an API version with a header after it'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -ApiVersion "2026-05-12`r`nX-Injected: 1" }; ErrorId = 'ClerkConnectionSettingsInvalid,ClerkSessions.Cmdlets.ConnectClerkCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a dated API version Clerk does not have, refused by Clerk'; Command = { Connect-Clerk -SecretKey $emulator.SecretKey -ApiUrl $emulator.ApiUrl -ApiVersion '2019-01-01' -MaxRetries 0; Get-ClerkSession -SessionId $session }; ErrorId = 'ClerkInvalidRequest,ClerkSessions.Cmdlets.GetClerkSessionCommand'; Reason = $null; Sent = @('GET /v1/sessions/{session}') }

        # Session tokens: $false with a reason, and no key looked up for a token that is not even well formed.
        @{ Name = 'an empty token'; Command = { Test-ClerkSessionToken -Token '' }; ErrorId = 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a garbage token'; Command = { Test-ClerkSessionToken -Token 'not a token' -Detailed }; Reason = 'Malformed'; ErrorId = $null; Sent = @() }
        @{ Name = 'a truncated token'; Command = { Test-ClerkSessionToken -Token $sessionToken.Substring(0, [int]($sessionToken.Length / 2)) -Detailed }; Reason = 'Malformed'; ErrorId = $null; Sent = @() }
        @{ Name = 'a huge token'; Command = { Test-ClerkSessionToken -Token ($sessionToken + ('A' * 20000)) -Detailed }; Reason = 'Malformed'; ErrorId = $null; Sent = @() }
        @{ Name = 'an alg none token'; Command = { Test-ClerkSessionToken -Token (New-UnsignedToken) -Detailed }; Reason = 'UnsupportedAlgorithm'; ErrorId = $null; Sent = @() }
        @{ Name = 'a token whose key set is not JSON'; Command = { Add-ClerkEmulatorFault -Emulator $emulator -Kind MalformedJson -Operation GetJWKS; Test-ClerkSessionToken -Token $sessionToken }; ErrorId = 'ClerkRequestFailed,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @('GET /v1/jwks') }
        @{ Name = 'a token whose key set is empty'; Command = { Add-ClerkEmulatorFault -Emulator $emulator -Kind EmptyBody -Operation GetJWKS; Test-ClerkSessionToken -Token $sessionToken }; ErrorId = 'ClerkRequestFailed,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @('GET /v1/jwks') }
        @{ Name = 'a PEM key that is not one'; Command = { Test-ClerkSessionToken -Token $sessionToken -JwtKey 'MIIBnotakey' }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a white-space PEM key'; Command = { Test-ClerkSessionToken -Token $sessionToken -JwtKey ' ' }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a truncated PEM key'; Command = { Test-ClerkSessionToken -Token $sessionToken -JwtKey "-----BEGIN PUBLIC KEY-----`nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA`n-----END PUBLIC KEY-----" }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
    ) {
        Assert-Case (Invoke-Case $Command) -ErrorId $ErrorId -Reason $Reason -Sent $Sent
    }
}

Describe 'Bad keys and tokens made with keys of their own' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeAll {
        $signingKey = [System.Security.Cryptography.RSA]::Create(2048)
        $pem = $signingKey.ExportSubjectPublicKeyInfoPem()

        # A session token as Clerk issues it, signed with $signingKey, without the claims named in -Without.
        function New-PemToken {
            param([string[]] $Without = @())
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            $claims = [ordered]@{ azp = 'https://app.example.com'; exp = $now + 600; iat = $now - 5; iss = 'https://clerk.example.com'; nbf = $now - 10; sid = $session; sub = $user }
            foreach ($name in $Without) { $claims.Remove($name) }
            $part = { param($value) ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes(($value | ConvertTo-Json -Compress))) }
            $signingInput = (& $part ([ordered]@{ alg = 'RS256'; typ = 'JWT' })) + '.' + (& $part $claims)
            $signature = $signingKey.SignData([Text.Encoding]::ASCII.GetBytes($signingInput),
                [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $signingInput + '.' + (ConvertTo-Base64Url $signature)
        }
    }

    AfterAll {
        $signingKey.Dispose()
    }

    It 'accepts the same token with its sub, so the row below fails for the sub alone' {
        $result = Invoke-Case { Test-ClerkSessionToken -Token (New-PemToken) -JwtKey $pem -Detailed }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output.IsValid | Should -BeTrue
        $result.Requests | Should -BeNullOrEmpty
    }

    It '<Name>' -ForEach @(
        @{ Name = 'a session token without sub'; Command = { Test-ClerkSessionToken -Token (New-PemToken -Without sub) -JwtKey $pem -Detailed }; Reason = 'MissingSubject'; ErrorId = $null; Sent = @() }
        @{ Name = 'a PEM private key'; Command = { Test-ClerkSessionToken -Token (New-PemToken) -JwtKey $signingKey.ExportPkcs8PrivateKeyPem() }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'an EC public key'; Command = { $ec = [System.Security.Cryptography.ECDsa]::Create(); try { Test-ClerkSessionToken -Token (New-PemToken) -JwtKey $ec.ExportSubjectPublicKeyInfoPem() } finally { $ec.Dispose() } }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
        @{ Name = 'a 1024-bit RSA key'; Command = { $small = [System.Security.Cryptography.RSA]::Create(1024); try { Test-ClerkSessionToken -Token (New-PemToken) -JwtKey $small.ExportSubjectPublicKeyInfoPem() } finally { $small.Dispose() } }; ErrorId = 'ClerkJwtKeyInvalid,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'; Reason = $null; Sent = @() }
    ) {
        Assert-Case (Invoke-Case $Command) -ErrorId $ErrorId -Reason $Reason -Sent $Sent
    }
}
