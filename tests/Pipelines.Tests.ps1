#Requires -Version 5.1
# The pipelines the help promises, bound by the real engine (proven with its own ParameterBinding trace and the
# server's request log), and connections that belong to the runspace that made them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop
    $server = Start-RecordedServer
    $keyText = 'sk_test_recorded0000wxyz'
    $key = ConvertTo-SecureString -String $keyText -AsPlainText -Force

    function Get-Request {
        param([string] $Method, [string] $PathLike = '*')
        @(Get-RecordedRequest -Server $server -Method $Method -PathLike $PathLike)
    }

    # Runs $Command in a new console pwsh connected to the server, typing $Answers at its prompts.
    function Invoke-Console {
        param([string] $Command, [string[]] $Answers = @())
        Invoke-ChildPwsh -Script "Import-Module '$moduleManifest'; `$ProgressPreference = 'SilentlyContinue'; $Command" -Answers $Answers -TimeoutSeconds 60 `
            -Environment @{ CLERK_SECRET_KEY = $keyText; CLERK_API_URL = $server.BaseUrl }
    }

    # A revoke pipeline in the console, answering its questions; writes 'revoked <id>' per revoked session.
    function Invoke-Answered {
        param([string] $Command, [string[]] $Answers = @())
        Invoke-Console -Command "$Command | ForEach-Object { 'revoked ' + `$_.Id }" -Answers $Answers
    }

    Connect-Clerk -SecretKey $key -ApiUrl $server.BaseUrl -MaxRetries 0
}

AfterAll {
    Disconnect-Clerk
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
    Stop-RecordedServer $server
}

Describe 'Pipelines into Revoke-ClerkSession' {
    BeforeEach { Clear-RecordedRequest -Server $server }

    It 'binds sessions from Get-ClerkSession to InputObject and skips the finished ones without a request' {
        $run = Invoke-WithBindingTrace -Command 'Revoke-ClerkSession' -Script {
            Get-ClerkSession -UserId user_0001 -PageSize 10 | Revoke-ClerkSession -Force
        }
        $run.PipelineBound | Should -Be @('InputObject')
        $run.Output.Id | Should -Be @('sess_active_0001')
        (Get-Request -Method POST -PathLike '*/revoke').path | Should -Be @('/v1/sessions/sess_active_0001/revoke')
    }

    It 'offers only the unfinished sessions under -WhatIf, naming their user, and sends nothing' {
        $shown = Get-HostText { Get-ClerkSession -UserId user_0001 -PageSize 10 | Revoke-ClerkSession -WhatIf }
        $whatIf = @($shown -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -Be @('What if: Performing the operation "Revoke" on target "Clerk session sess_active_0001 (user user_0001)".')
        Get-Request -Method POST | Should -BeNullOrEmpty
    }

    It 'takes plain ids <Case>' -ForEach @(
        @{ Case = 'one per line from a file'; AsArray = $false }
        @{ Case = 'as an array sent as one object'; AsArray = $true }
    ) {
        $file = Join-Path $TestDrive 'ids.txt'
        Set-Content -LiteralPath $file -Value 'sess_active_0001', 'sess_revoked_0001'
        $ids = @(Get-Content -LiteralPath $file)
        $run = Invoke-WithBindingTrace -Command 'Revoke-ClerkSession' -Script { if ($AsArray) { , $ids | Revoke-ClerkSession -Force } else { $ids | Revoke-ClerkSession -Force } }
        $run.PipelineBound | Should -Be @('InputObject')
        # A bare id carries no status, so both are sent; Clerk answers the revoked one with the session as it is.
        (Get-Request -Method POST -PathLike '*/revoke').path | Sort-Object | Should -Be @('/v1/sessions/sess_active_0001/revoke', '/v1/sessions/sess_revoked_0001/revoke')
        @($run.Output).Count | Should -Be 2
    }

    It 'skips finished sessions that lost their type through <Case>' -ForEach @(
        @{ Case = 'Select-Object'; Convert = { param($sessions, $file) $sessions | Select-Object Id, Status, UserId } }
        @{ Case = 'Export-Csv and Import-Csv'; Convert = { param($sessions, $file) $sessions | Select-Object Id, UserId, ClientId, Status | Export-Csv -LiteralPath $file -NoTypeInformation; Import-Csv -LiteralPath $file } }
        @{ Case = 'Export-Clixml and Import-Clixml'; Convert = { param($sessions, $file) $sessions | Export-Clixml -LiteralPath $file; Import-Clixml -LiteralPath $file } }
    ) {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-saved-{0}" -f [guid]::NewGuid())
        try {
            $saved = @(& $Convert @(Get-ClerkSession -UserId user_0001 -PageSize 10) $file)
            $saved.Count | Should -Be 2
            $saved | ForEach-Object { $_ | Should -Not -BeOfType [ClerkSessions.Core.Models.ClerkSession] }
            Clear-RecordedRequest -Server $server
            $shown = Get-HostText { $saved | Revoke-ClerkSession -WhatIf }
            $run = Invoke-WithBindingTrace -Command 'Revoke-ClerkSession' -Script { $saved | Revoke-ClerkSession -Force -Verbose 4>&1 }
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
        }
        $run.PipelineBound | Should -Be @('InputObject')
        $shown | Should -Match ([regex]::Escape('"Clerk session sess_active_0001 (user user_0001)"'))
        $shown | Should -Not -Match 'sess_revoked_0001'
        (@($run.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match "Skipping sess_revoked_0001 \(user user_0001\): its status is already 'revoked'"
        (Get-Request -Method POST -PathLike '*/revoke').path | Should -Be @('/v1/sessions/sess_active_0001/revoke')
    }

    It 'reads sessions given by position like piped ones, so finished ones are still skipped' {
        $sessions = @(Get-ClerkSession -UserId user_0001 -PageSize 10)
        Clear-RecordedRequest -Server $server
        $shown = Get-HostText { Revoke-ClerkSession $sessions -WhatIf }
        @($shown -split "`r?`n" | Where-Object { $_ -like 'What if:*' }) | Should -Be @('What if: Performing the operation "Revoke" on target "Clerk session sess_active_0001 (user user_0001)".')
        (Revoke-ClerkSession $sessions -Force).Id | Should -Be @('sess_active_0001')
        (Get-Request -Method POST -PathLike '*/revoke').path | Should -Be @('/v1/sessions/sess_active_0001/revoke')
    }

    It 'reports -InputObject $null as an error, not a crash' {
        Revoke-ClerkSession -InputObject $null -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.FullyQualifiedErrorId | Should -Be @('ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand')
        Get-Request -Method POST | Should -BeNullOrEmpty
    }

    It 'reports a piped $null or an object without an id as an error naming it, and sends nothing for it' {
        $run = Invoke-WithBindingTrace -Command 'Revoke-ClerkSession' -Script {
            @($null, [pscustomobject]@{ Name = 'not a session' }, 'sess_active_0001') | Revoke-ClerkSession -Force -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures
        }
        $errors = @($run.Output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.FullyQualifiedErrorId | Should -Be @('ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand', 'ClerkSessionInputInvalid,ClerkSessions.Cmdlets.RevokeClerkSessionCommand')
        $errors[1].TargetObject.Name | Should -Be 'not a session'
        $errors[1].ErrorDetails.Message | Should -Match 'no session id'
        (Get-Request -Method POST -PathLike '*/revoke').path | Should -Be @('/v1/sessions/sess_active_0001/revoke')
    }
}

Describe 'Pipelines into Get-ClerkSession, Test-ClerkSession, New-ClerkSessionToken and Test-ClerkSessionToken' {
    BeforeEach { Clear-RecordedRequest -Server $server }

    It '<Command> takes plain ids <Case>, bound to SessionId' -ForEach @(
        @{ Command = 'Get-ClerkSession'; Case = 'one per line from a file'; AsArray = $false; Expected = { param($output) $output.Status | Should -Be @('active', 'revoked') } }
        @{ Command = 'Get-ClerkSession'; Case = 'as an array sent as one object'; AsArray = $true; Expected = { param($output) $output.Status | Should -Be @('active', 'revoked') } }
        @{ Command = 'Test-ClerkSession'; Case = 'one per line from a file'; AsArray = $false; Expected = { param($output) $output | Should -Be @($true, $false) } }
        @{ Command = 'Test-ClerkSession'; Case = 'as an array sent as one object'; AsArray = $true; Expected = { param($output) $output | Should -Be @($true, $false) } }
    ) {
        $file = Join-Path $TestDrive 'ids.txt'
        Set-Content -LiteralPath $file -Value 'sess_active_0001', 'sess_revoked_0001'
        $ids = @(Get-Content -LiteralPath $file)
        $run = Invoke-WithBindingTrace -Command $Command -Script { if ($AsArray) { , $ids | & $Command } else { $ids | & $Command } }
        $run.PipelineBound | Should -Be @('SessionId')
        & $Expected $run.Output
        # Get-ClerkSession sends an array's ids in flight: its output keeps their order, its requests need not.
        (Get-Request -Method GET -PathLike '/v1/sessions/sess_*').path | Sort-Object | Should -Be @('/v1/sessions/sess_active_0001', '/v1/sessions/sess_revoked_0001')
    }

    It 'tests sessions from Get-ClerkSession by their id' {
        $run = Invoke-WithBindingTrace -Command 'Test-ClerkSession' -Script { Get-ClerkSession -SessionId sess_active_0001 | Test-ClerkSession }
        $run.PipelineBound | Should -Be @('SessionId')
        $run.Output | Should -Be @($true)
        @(Get-Request -Method GET -PathLike '/v1/sessions/sess_active_0001').Count | Should -Be 2
    }

    It 'creates tokens for sessions from Get-ClerkSession' {
        $run = Invoke-WithBindingTrace -Command 'New-ClerkSessionToken' -Script { Get-ClerkSession -SessionId sess_active_0001 | New-ClerkSessionToken }
        $run.PipelineBound | Should -Be @('SessionId')
        $run.Output.SessionId | Should -Be 'sess_active_0001'
        @(Get-Request -Method POST -PathLike '/v1/sessions/sess_active_0001/tokens').Count | Should -Be 1
    }

    It 'verifies tokens from New-ClerkSessionToken as tokens, never as session ids' {
        $run = Invoke-WithBindingTrace -Command 'Test-ClerkSessionToken' -Script {
            New-ClerkSessionToken -SessionId sess_active_0001 | Test-ClerkSessionToken -ErrorAction SilentlyContinue
        }
        $run.PipelineBound | Sort-Object | Should -Be @('SessionId', 'Token')
        @(Get-Request -Method GET -PathLike '*/jwks').Count | Should -Be 1
        Get-Request -Method GET -PathLike '/v1/sessions/*' | Should -BeNullOrEmpty
    }

    It 'tests the session of a piped token object with Test-ClerkSession, by its SessionId' {
        $token = New-ClerkSessionToken -SessionId sess_active_0001
        Clear-RecordedRequest -Server $server
        $run = Invoke-WithBindingTrace -Command 'Test-ClerkSession' -Script { $token | Test-ClerkSession }
        $run.PipelineBound | Should -Be @('SessionId')
        $run.Output | Should -Be @($true)
        (Get-Request -Method GET -PathLike '/v1/sessions/*').path | Should -Be @('/v1/sessions/sess_active_0001')
    }

    It 'refuses an object that carries no token, and sends nothing' {
        $run = Invoke-WithBindingTrace -Command 'Test-ClerkSessionToken' -Script {
            Get-ClerkSession -SessionId sess_active_0001 | Test-ClerkSessionToken -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures
        }
        $run.PipelineBound | Should -Not -Contain 'Token'
        @($run.Output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).FullyQualifiedErrorId | Should -Be @('InputObjectMissingMandatory,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand')
        Get-Request -Method GET -PathLike '*/jwks' | Should -BeNullOrEmpty
    }

    It 'takes one session for a token: the engine refuses a list for -SessionId' {
        { Test-ClerkSessionToken -Token 'a.b.c' -SessionId sess_active_0001, sess_revoked_0001 } | Should -Throw -ErrorId 'CannotConvertArgument,ClerkSessions.Cmdlets.TestClerkSessionTokenCommand'
        Get-Request | Should -BeNullOrEmpty
    }
}

Describe 'Confirmation in a real console host' {
    BeforeAll {
        function Get-RevokedPath { @(Get-Request -Method POST -PathLike '*/revoke' | ForEach-Object { $_.path -replace '^/v1/sessions/|/revoke$', '' }) }
    }

    BeforeEach { Clear-RecordedRequest -Server $server }

    It 'asks before each revoke, naming the session and its user, and sends only what was confirmed' {
        $run = Invoke-Answered 'Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession' 'Y', 'N', 'Y', 'N', 'Y'
        $run.Errors | Should -BeNullOrEmpty
        ([regex]::Matches($run.Output, 'Performing the operation "Revoke" on target "Clerk session sess_paged_000\d\s+\(user user_paged_0001\)"')).Count | Should -Be 5
        Get-RevokedPath | Sort-Object | Should -Be @('sess_paged_0001', 'sess_paged_0003', 'sess_paged_0005')
        $run.Output | Should -Match 'revoked sess_paged_0005'
    }

    It 'still asks with -Force when -Confirm is given, and Yes to All answers for the rest' {
        $declined = Invoke-Answered 'Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -Force -Confirm' 'L'
        $declined.Output | Should -Match 'Performing the operation "Revoke"'
        Get-RevokedPath | Should -BeNullOrEmpty

        $all = Invoke-Answered 'Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -Force -Confirm' 'A'
        ([regex]::Matches($all.Output, 'Performing the operation "Revoke"')).Count | Should -Be 1
        @(Get-RevokedPath).Count | Should -Be 5
    }

    # Every way the engine's switches and preferences meet -Force, in a console that answers No to any question: the
    # ConfirmImpact is High, so without -Force the default $ConfirmPreference asks.
    It 'with <Command>: asks <Asks>, reports what if <WhatIf>, revokes <Revokes>' -ForEach @(
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = 'Revoke-ClerkSession sess_active_0001'; Asks = $true; WhatIf = $false; Revokes = $false }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force -WhatIf'; Asks = $false; WhatIf = $true; Revokes = $false }
        @{ Command = '$WhatIfPreference = $true; Revoke-ClerkSession sess_active_0001 -Force'; Asks = $false; WhatIf = $true; Revokes = $false }
        @{ Command = '$WhatIfPreference = $true; Revoke-ClerkSession sess_active_0001 -Force -WhatIf:$false'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force -Confirm'; Asks = $true; WhatIf = $false; Revokes = $false }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force -Confirm -WhatIf'; Asks = $false; WhatIf = $true; Revokes = $false }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force -Confirm:$false'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Confirm:$false'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = '$ConfirmPreference = ''None''; Revoke-ClerkSession sess_active_0001'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = '$ConfirmPreference = ''Low''; Revoke-ClerkSession sess_active_0001 -Force'; Asks = $false; WhatIf = $false; Revokes = $true }
        @{ Command = 'Revoke-ClerkSession sess_active_0001 -Force -Debug'; Asks = $false; WhatIf = $false; Revokes = $true }
    ) {
        $run = Invoke-Console -Command $Command -Answers 'N'
        $run.Output -match 'Are you sure you want to perform this action\?' | Should -Be $Asks
        $run.Output -match 'What if: Performing the operation "Revoke" on target "Clerk session sess_active_0001"' | Should -Be $WhatIf
        (@(Get-RevokedPath) -contains 'sess_active_0001') | Should -Be $Revokes
    }

    It 'revokes with -Force, or with -Confirm:$false, in a non-interactive shell' {
        foreach ($command in 'Revoke-ClerkSession sess_active_0001 -Force', 'Revoke-ClerkSession sess_active_0001 -Confirm:$false') {
            Clear-RecordedRequest -Server $server
            $run = Invoke-ChildPwsh -Script "Import-Module '$moduleManifest'; `$ProgressPreference = 'SilentlyContinue'; $command | ForEach-Object { 'revoked ' + `$_.Id }" -NonInteractive -TimeoutSeconds 60 `
                -Environment @{ CLERK_SECRET_KEY = $keyText; CLERK_API_URL = $server.BaseUrl }
            $run.Errors | Should -BeNullOrEmpty
            $run.ExitCode | Should -Be 0
            $run.Output | Should -Match 'revoked sess_active_0001'
            Get-RevokedPath | Should -Be @('sess_active_0001')
        }
    }

    It 'revokes without a question with -Force' {
        $run = Invoke-Answered 'Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -Force'
        $run.Output | Should -Not -Match 'Performing the operation'
        @(Get-RevokedPath).Count | Should -Be 5
    }
}

# Before PowerShell 6.2, -Debug itself means Inquire: every debug line asks, whatever the module does.
Describe 'Preference handling in the engine' -Skip:($PSVersionTable.PSVersion -lt [version]'6.2') {
    It 'writes the request lines to the debug stream with the -Debug switch, so the engine never asks per line' {
        $output = Get-ClerkSession -SessionId sess_active_0001 -Debug 4>&1 5>&1
        $debug = @($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message -join "`n"
        $debug | Should -Match 'GET /v1/sessions/sess_active_0001 -> 200'
        $debug | Should -Match 'Authorization'
        $debug | Should -Not -Match 'recorded0000'
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        @($output | Where-Object { $_ -is [ClerkSessions.Core.Models.ClerkSession] }).Count | Should -Be 1
    }

    It 'asks no question in a console under -Debug, even for a bulk revoke' {
        Clear-RecordedRequest -Server $server
        $run = Invoke-Console 'Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | Revoke-ClerkSession -Force -Debug'
        $run.Output | Should -Match 'DEBUG: POST /v1/sessions/sess_paged_0005/revoke -> 200'
        $run.Output | Should -Not -Match 'Continue with this operation'
        @(Get-Request -Method POST -PathLike '*/revoke').Count | Should -Be 5
    }

    It 'asks no question under -Debug when $VerbosePreference is Continue either' {
        $run = Invoke-Console '$VerbosePreference = ''Continue''; Get-ClerkSession -UserId user_paged_0001 -PageSize 2 -Debug | Out-Null'
        $run.Output | Should -Match 'DEBUG: GET /v1/sessions\?\S+ -> 200'
        $run.Output | Should -Not -Match 'Continue with this operation'
    }

    # The module's one reading of a preference variable, in the engine (its unit tests compile against PowerShell's
    # reference assemblies, whose LanguagePrimitives does nothing): values as scripts leave them, typed, text or numbers.
    It 'reads the preference value <Value> as <Asks>' -ForEach @(
        @{ Value = 'Continue'; Asks = $true }, @{ Value = 'continue'; Asks = $true }, @{ Value = ' Stop '; Asks = $true }
        @{ Value = 'Inquire'; Asks = $true }, @{ Value = 'SilentlyContinue'; Asks = $false }, @{ Value = 'Ignore'; Asks = $false }
        @{ Value = 'nonsense'; Asks = $false }, @{ Value = ''; Asks = $false }, @{ Value = $null; Asks = $false }
        @{ Value = 2; Asks = $true }, @{ Value = 0; Asks = $false }, @{ Value = 99; Asks = $false }
        @{ Value = [System.Management.Automation.ActionPreference]::Continue; Asks = $true }
        @{ Value = [System.Management.Automation.ActionPreference]::SilentlyContinue; Asks = $false }
    ) {
        $read = [ClerkSessions.Cmdlets.ClerkCmdlet].Assembly.GetType('ClerkSessions.Cmdlets.CommonSwitches', $true).GetMethod('AsksForOutput', [Reflection.BindingFlags]'Static, NonPublic')
        $read.Invoke($null, @(, $Value)) | Should -Be $Asks
    }

    It 'is silent with -Verbose:$false even when $VerbosePreference asks for output' {
        $VerbosePreference = 'Continue'
        $output = Get-ClerkSession -SessionId sess_active_0001 -Verbose:$false 4>&1
        $VerbosePreference = 'SilentlyContinue'
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
    }
}

Describe 'Errors as the engine prints them' {
    It 'shows Clerk''s message, code and trace id, not a .NET exception' {
        Get-ClerkSession -SessionId sess_missing_0001 -ErrorAction SilentlyContinue -ErrorVariable failures
        $printed = ($failures[0] | Out-String -Width 200) -replace "$([char]27)\[[0-9;]*m", ''
        $printed | Should -Match 'No session was found'
        $printed | Should -Match 'resource_not_found'
        $printed | Should -Match 'trace id'
        $printed | Should -Not -Match 'ClerkApiException'
    }
}

Describe 'One connection per runspace' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeAll {
        $other = Start-RecordedServer
        $instances = @(
            [pscustomobject]@{ Name = 'A'; Key = 'sk_test_instancea000aaaa'; Url = $server.BaseUrl }
            [pscustomobject]@{ Name = 'B'; Key = 'sk_test_instanceb000bbbb'; Url = $other.BaseUrl }
        )

        # The Authorization header of every request a server received.
        function Get-Keys {
            param($Server)
            @(Get-RecordedRequest -Server $Server | ForEach-Object { $_.headers.Authorization -replace '^Bearer ', '' })
        }
    }

    AfterAll {
        Stop-RecordedServer $other
        Connect-Clerk -SecretKey $key -ApiUrl $server.BaseUrl -MaxRetries 0
    }

    BeforeEach {
        Clear-RecordedRequest -Server $server
        Clear-RecordedRequest -Server $other
    }

    It 'keeps each of 8 parallel runspaces on the instance it connected to' {
        # Every runspace connects before any reads, so a connection shared across runspaces would show.
        $connected = [System.Threading.CountdownEvent]::new(8)
        $results = 0..7 | ForEach-Object -ThrottleLimit 8 -Parallel {
            $instance = ($using:instances)[$_ % 2]
            Import-Module $using:moduleManifest
            Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0
            $null = ($using:connected).Signal()
            $null = ($using:connected).Wait([TimeSpan]::FromSeconds(30))
            $session = Get-ClerkSession -SessionId sess_active_0001
            $current = Disconnect-Clerk -PassThru
            [pscustomobject]@{ Name = $instance.Name; Url = $instance.Url; UsedUrl = "$($current.ApiUrl)"; Id = $session.Id }
        }
        $connected.Dispose()

        @($results).Count | Should -Be 8
        $results | ForEach-Object { $_.UsedUrl | Should -Be $_.Url; $_.Id | Should -Be 'sess_active_0001' }
        Get-Keys $server | Should -Be (@('sk_test_instancea000aaaa') * 4)
        Get-Keys $other | Should -Be (@('sk_test_instanceb000bbbb') * 4)
    }

    It 'starts a reused ForEach-Object -Parallel runspace unconnected' {
        $saved = $env:CLERK_SECRET_KEY
        $env:CLERK_SECRET_KEY = $null
        try {
            # One runspace, reused for each item: the first connects, the later ones must not see it.
            $seen = 1..3 | ForEach-Object -ThrottleLimit 1 -Parallel {
                Import-Module $using:moduleManifest
                if ($_ -eq 1) {
                    Connect-Clerk -SecretKey (ConvertTo-SecureString $using:keyText -AsPlainText -Force) -ApiUrl ($using:server).BaseUrl
                    return 'connected'
                }
                try { Get-ClerkSession -SessionId sess_active_0001 -ErrorAction Stop; 'still connected' } catch { $_.FullyQualifiedErrorId }
            }
        }
        finally {
            $env:CLERK_SECRET_KEY = $saved
        }
        $seen | Should -Be @('connected', 'ClerkNotConnected,ClerkSessions.Cmdlets.GetClerkSessionCommand', 'ClerkNotConnected,ClerkSessions.Cmdlets.GetClerkSessionCommand')
    }

    It 'keeps one connection for the runspace across the scripts and modules that call the cmdlets' {
        $wrapper = New-Module -Name ClerkWrapper -ArgumentList $instances[1] -ScriptBlock {
            param($instance)
            function Connect-Wrapped { Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0 }
            function Get-Wrapped { Get-ClerkSession -SessionId sess_active_0001 }
        }
        try {
            & $wrapper { Connect-Wrapped }
            (Get-ClerkSession -SessionId sess_active_0001).Id | Should -Be 'sess_active_0001'
            (& $wrapper { Get-Wrapped }).Id | Should -Be 'sess_active_0001'
            Get-Keys $other | Should -Be (@('sk_test_instanceb000bbbb') * 2)
            Get-Keys $server | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-Clerk
        }
    }

    It 'closes the connection of a runspace that is reset for reuse or that ends' {
        $saved = $env:CLERK_SECRET_KEY, $env:CLERK_API_URL
        $env:CLERK_SECRET_KEY, $env:CLERK_API_URL = $instances[0].Key, $instances[0].Url
        try {
            # One runspace reused for each item: each connects from the environment, and the reset closes the last one.
            $seen = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
            1..3 | ForEach-Object -ThrottleLimit 1 -Parallel {
                Import-Module $using:moduleManifest
                $null = Get-ClerkSession -SessionId sess_active_0001
                ($using:seen).Enqueue((Get-ClerkConnection))
            }
            $job = Start-ThreadJob -ArgumentList $moduleManifest -ScriptBlock {
                param($manifest)
                Import-Module $manifest
                $null = Get-ClerkSession -SessionId sess_active_0001
                Get-ClerkConnection
            }
            $fromJob = $job | Receive-Job -Wait -AutoRemoveJob
        }
        finally {
            $env:CLERK_SECRET_KEY, $env:CLERK_API_URL = $saved
        }
        $connections = @($seen.ToArray())
        $connections.Count | Should -Be 3
        @($connections | ForEach-Object { [System.Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) } | Select-Object -Unique).Count | Should -Be 3
        $connections | ForEach-Object { $_.IsClosed | Should -BeTrue }
        $fromJob | Should -BeOfType [ClerkSessions.Connections.ClerkConnection]
        $fromJob.IsClosed | Should -BeTrue
    }

    It 'closes the runspace''s connection on Remove-Module, also when the assembly was imported directly' {
        $assembly = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.dll'
        $closed = foreach ($path in $moduleManifest, $assembly) {
            Start-ThreadJob -ArgumentList $path, $instances[1] -ScriptBlock {
                param($path, $instance)
                Import-Module $path
                Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0
                $connection = Get-ClerkConnection
                Remove-Module ClerkSessions
                $connection.IsClosed
            } | Receive-Job -Wait -AutoRemoveJob
        }
        $closed | Should -Be @($true, $true)
    }

    It 'leaves a connection written by -PassThru open when the module is removed, for the scripts still using it' {
        $states = Start-ThreadJob -ArgumentList $moduleManifest, $instances[1] -ScriptBlock {
            param($path, $instance)
            Import-Module $path
            $kept = Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0 -PassThru
            Remove-Module ClerkSessions
            $kept.IsClosed
            Import-Module $path
            (Get-ClerkSession -SessionId sess_active_0001 -Connection $kept).Id
            Disconnect-Clerk -Connection $kept
            $kept.IsClosed
        } | Receive-Job -Wait -AutoRemoveJob
        $states | Should -Be @($false, 'sess_active_0001', $true)
    }

    It 'treats its connection, closed from another runspace, as no connection rather than failing on it' {
        $saved = $env:CLERK_SECRET_KEY
        $env:CLERK_SECRET_KEY = $null
        try {
            $a = Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[0].Key -AsPlainText -Force) -ApiUrl $instances[0].Url -MaxRetries 0 -PassThru
            1 | ForEach-Object -Parallel { Import-Module $using:moduleManifest; Disconnect-Clerk -Connection $using:a }
            $a.IsClosed | Should -BeTrue
            Get-ClerkConnection | Should -BeNullOrEmpty
            { Get-ClerkSession -SessionId sess_active_0001 } | Should -Throw -ErrorId 'ClerkNotConnected,ClerkSessions.Cmdlets.GetClerkSessionCommand'
        }
        finally {
            $env:CLERK_SECRET_KEY = $saved
        }
    }

    It 'lets a command finish with a connection replaced down the pipeline, and closes it after' {
        Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[0].Key -AsPlainText -Force) -ApiUrl $instances[0].Url -MaxRetries 0
        $replaced = Get-ClerkConnection
        $first = $true
        $revoked = Get-ClerkSession -UserId user_paged_0001 -PageSize 2 | ForEach-Object {
            if ($first) {
                $first = $false
                Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[1].Key -AsPlainText -Force) -ApiUrl $instances[1].Url -MaxRetries 0
            }
            $_
        } | Revoke-ClerkSession -Force -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        @($revoked).Count | Should -Be 5
        # The revoke resolved its connection before the replacement: all five went to the first instance.
        @(Get-RecordedRequest -Server $server -Method POST -PathLike '*/revoke').Count | Should -Be 5
        $replaced.IsClosed | Should -BeTrue
        (Get-ClerkConnection).MaskedSecretKey | Should -Be ('sk_test_' + [char]0x2026 + 'bbbb')
        Disconnect-Clerk
    }

    It 'uses -Connection over the current connection, for several instances in one script' {
        $a = Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[0].Key -AsPlainText -Force) -ApiUrl $instances[0].Url -MaxRetries 0 -PassThru
        $b = Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[1].Key -AsPlainText -Force) -ApiUrl $instances[1].Url -MaxRetries 0 -PassThru
        try {
            # $b is current now; $a, handed out with -PassThru, stays open.
            $a.IsClosed | Should -BeFalse
            (Get-ClerkSession -SessionId sess_active_0001 -Connection $a).Id | Should -Be 'sess_active_0001'
            'sess_active_0001' | Revoke-ClerkSession -Connection $a -Force | Out-Null
            (Get-ClerkSession -SessionId sess_active_0001).Id | Should -Be 'sess_active_0001'
            Get-ClerkSession -SessionId sess_active_0001 -Connection $b | Out-Null

            Get-Keys $server | Should -Be (@('sk_test_instancea000aaaa') * 2)
            Get-Keys $other | Should -Be (@('sk_test_instanceb000bbbb') * 2)
        }
        finally {
            Disconnect-Clerk -Connection $a
            Disconnect-Clerk
        }
        $a.IsClosed | Should -BeTrue
        { Get-ClerkSession -SessionId sess_active_0001 -Connection $a } | Should -Throw -ErrorId 'ClerkConnectionClosed,ClerkSessions.Cmdlets.GetClerkSessionCommand'
    }

    It 'shares one -Connection with parallel runspaces' {
        $a = Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[0].Key -AsPlainText -Force) -ApiUrl $instances[0].Url -MaxRetries 0 -PassThru
        try {
            $ids = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:moduleManifest
                (Get-ClerkSession -SessionId sess_active_0001 -Connection $using:a).Id
            }
        }
        finally {
            Disconnect-Clerk
        }
        $ids | Should -Be (@('sess_active_0001') * 4)
        Get-Keys $server | Should -Be (@('sk_test_instancea000aaaa') * 4)
    }

    It 'leaves other runspaces connected when one disconnects or removes the module' {
        Connect-Clerk -SecretKey (ConvertTo-SecureString $instances[0].Key -AsPlainText -Force) -ApiUrl $instances[0].Url -MaxRetries 0
        $saved = $env:CLERK_SECRET_KEY
        $env:CLERK_SECRET_KEY = $null
        try {
            $job = Start-ThreadJob -ArgumentList $moduleManifest, $instances[1] -ScriptBlock {
                param($manifest, $instance)
                Import-Module $manifest
                try { Get-ClerkSession -SessionId sess_active_0001 -ErrorAction Stop; 'connected at start' } catch { $_.FullyQualifiedErrorId }
                Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0
                (Get-ClerkSession -SessionId sess_active_0001).Id
                Disconnect-Clerk
                Connect-Clerk -SecretKey (ConvertTo-SecureString $instance.Key -AsPlainText -Force) -ApiUrl $instance.Url -MaxRetries 0
                Remove-Module ClerkSessions
            }
            $jobOutput = $job | Receive-Job -Wait -AutoRemoveJob
        }
        finally {
            $env:CLERK_SECRET_KEY = $saved
        }
        $jobOutput | Should -Be @('ClerkNotConnected,ClerkSessions.Cmdlets.GetClerkSessionCommand', 'sess_active_0001')

        (Get-ClerkSession -SessionId sess_active_0001).Id | Should -Be 'sess_active_0001'
        Get-Keys $server | Should -Be @('sk_test_instancea000aaaa')
        Get-Keys $other | Should -Be @('sk_test_instanceb000bbbb')
        Disconnect-Clerk
    }
}
