#Requires -Version 5.1
# The signature move at Clerk's rate ceiling, proven in the engine: piped users bind by property name, revokes run in
# flight under the connection's one rate limiter (shared by runspaces), Ctrl+C stops them, progress shows the rate.
# Everything runs on emulators started here. Figures (how fast) are measured in bench/, not asserted here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop

    # The revoke requests an emulator answered, by session id.
    function Get-RevokeRequest {
        param($Emulator)
        @(Get-ClerkEmulatorRequest -Emulator $Emulator | Where-Object { $_.Path -like '*/revoke' })
    }
}

AfterAll {
    Get-ClerkEmulator | Stop-ClerkEmulator
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
}

Describe 'Many users at once: Import-Csv | Get-ClerkSession -Status active | Revoke-ClerkSession' {
    BeforeAll {
        $emulator = Start-ClerkEmulator -UserCount 12 -SessionsPerUser 3 -Environment Production
        $connection = $emulator | Connect-Clerk -PassThru
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-users-{0}.csv" -f [guid]::NewGuid())
        $emulator.UserIds | ForEach-Object { [pscustomobject]@{ UserId = $_; Reason = 'incident' } } | Export-Csv -LiteralPath $csv -NoTypeInformation
    }

    AfterAll {
        Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue
        Disconnect-Clerk -Connection $connection
    }

    It 'binds a UserId column to -UserId by property name, as the engine reports it' {
        $trace = Invoke-WithBindingTrace -Command 'Get-ClerkSession' -Script {
            Import-Csv -LiteralPath $csv | Select-Object -First 1 | Get-ClerkSession -Connection $connection
        }
        $trace.PipelineBound | Should -Be @('UserId')
        @($trace.Output).Count | Should -Be 3
        $trace.Output.UserId | Sort-Object -Unique | Should -Be $emulator.UserIds[0]
    }

    It 'still gets piped session ids and sessions by id' {
        $session = Get-ClerkSession -UserId $emulator.UserIds[1] -First 1 -Connection $connection
        $byObject = Invoke-WithBindingTrace -Command 'Get-ClerkSession' -Script { $session | Get-ClerkSession -Connection $connection }
        $byObject.PipelineBound | Should -Be @('SessionId')
        $byObject.Output.Id | Should -Be $session.Id
        ($session.Id | Get-ClerkSession -Connection $connection).Id | Should -Be $session.Id
    }

    It 'revokes every active session of every user in the file, each once, and leaves none active' {
        Reset-ClerkEmulator -Emulator $emulator
        $revoked = @(Import-Csv -LiteralPath $csv | Get-ClerkSession -Status active -Connection $connection | Revoke-ClerkSession -Force -Connection $connection)

        $revoked.Count | Should -Be 24
        @($revoked.Id | Sort-Object -Unique).Count | Should -Be 24
        $revoked.Status | Sort-Object -Unique | Should -Be 'revoked'
        $requests = Get-RevokeRequest $emulator
        $requests.Count | Should -Be 24
        @($requests.Path | Sort-Object -Unique).Count | Should -Be 24
        @(Get-ClerkEmulatorRequest -Emulator $emulator | Where-Object Operation -eq 'GetSessionList').Count | Should -Be 12
        @(Import-Csv -LiteralPath $csv | Get-ClerkSession -Status active -Connection $connection -ErrorAction Stop).Count | Should -Be 0
    }
}

Describe 'Revoke-ClerkSession -ThrottleLimit' {
    BeforeAll {
        $emulator = Start-ClerkEmulator -UserCount 1 -SessionsPerUser 24 -Environment Production -LatencyMs 300
        $connection = $emulator | Connect-Clerk -PassThru
        $user = $emulator.UserIds[0]
    }

    AfterAll {
        Disconnect-Clerk -Connection $connection
    }

    BeforeEach {
        Reset-ClerkEmulator -Emulator $emulator
    }

    It 'keeps n revokes in flight: the first n reach Clerk before the first answer' {
        $revoked = @(Get-ClerkSession -UserId $user -Status active -Connection $connection | Revoke-ClerkSession -Force -ThrottleLimit 6 -Connection $connection)

        $revoked.Count | Should -Be 12
        $arrivals = @(Get-RevokeRequest $emulator | Sort-Object Sequence | ForEach-Object ReceivedAt)
        # With 300 ms before each answer, six sent one after another would be 1.5 s apart at least.
        ($arrivals[5] - $arrivals[0]).TotalMilliseconds | Should -BeLessThan 250
        # The seventh waits for a free slot: it goes out only once an answer has come back.
        ($arrivals[6] - $arrivals[0]).TotalMilliseconds | Should -BeGreaterThan 250
    }

    It 'revokes one at a time with -ThrottleLimit 1' {
        $null = Get-ClerkSession -UserId $user -Status active -First 3 -Connection $connection | Revoke-ClerkSession -Force -ThrottleLimit 1 -Connection $connection
        $arrivals = @(Get-RevokeRequest $emulator | Sort-Object Sequence | ForEach-Object ReceivedAt)
        $arrivals.Count | Should -Be 3
        ($arrivals[1] - $arrivals[0]).TotalMilliseconds | Should -BeGreaterThan 250
        ($arrivals[2] - $arrivals[1]).TotalMilliseconds | Should -BeGreaterThan 250
    }

    It 'refuses a throttle limit outside 1 to 100' {
        { Revoke-ClerkSession -SessionId sess_x -ThrottleLimit 0 -Force -Connection $connection } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'
        { Revoke-ClerkSession -SessionId sess_x -ThrottleLimit 101 -Force -Connection $connection } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'
    }

    It 'still sends nothing under -WhatIf' {
        $null = Get-ClerkSession -UserId $user -Status active -First 2 -Connection $connection | Revoke-ClerkSession -Force -WhatIf -ThrottleLimit 10 -Connection $connection
        @(Get-RevokeRequest $emulator).Count | Should -Be 0
    }

    It 'shows done of received, what is in flight and the rate in its progress, and the rate in its summary' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $ApiUrl, $Key, $User)
                    Import-Module $Manifest
                    $c = Connect-Clerk -SecretKey $Key -ApiUrl $ApiUrl -PassThru
                    Get-ClerkSession -UserId $User -Status active -Connection $c | Revoke-ClerkSession -Force -Connection $c -Verbose
                }).AddArgument($moduleManifest).AddArgument($emulator.ApiUrl).AddArgument($emulator.SecretKey).AddArgument($user)
            $output = $shell.Invoke()
            $output.Count | Should -Be 12
            $statuses = @($shell.Streams.Progress | Where-Object RecordType -eq 'Processing' | ForEach-Object StatusDescription)
            $statuses.Count | Should -Be 12
            $statuses[-1] | Should -Match '^12 of 12 received done, \d+\.\d revoked/s: sess_'
            $statuses | Where-Object { $_ -match ', \d+ in flight, ' } | Should -Not -BeNullOrEmpty
            @($shell.Streams.Progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
            $shell.Streams.Verbose.Message | Should -Contain ($shell.Streams.Verbose.Message | Where-Object { $_ -match '^Revoke-ClerkSession: 12 revoked, 0 skipped, 0 failed in \d+\.\d s \(\d+\.\d revoked/s\)\.$' })
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Ctrl+C during a bulk revoke' {
    It 'cancels every revoke in flight within a second' {
        $emulator = Start-ClerkEmulator -UserCount 1 -SessionsPerUser 20 -Environment Production
        $shell = [powershell]::Create()
        try {
            Add-ClerkEmulatorFault -Emulator $emulator -Kind Slow -DelayMs 30000 -Count 100 -Operation RevokeSession
            $null = $shell.AddScript({
                    param($Manifest, $ApiUrl, $Key, $User)
                    Import-Module $Manifest
                    $c = Connect-Clerk -SecretKey $Key -ApiUrl $ApiUrl -PassThru
                    Get-ClerkSession -UserId $User -Status active -Connection $c | Revoke-ClerkSession -Force -ThrottleLimit 5 -Connection $c
                }).AddArgument($moduleManifest).AddArgument($emulator.ApiUrl).AddArgument($emulator.SecretKey).AddArgument($emulator.UserIds[0])
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (@(Get-RevokeRequest $emulator).Count -lt 5 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @(Get-RevokeRequest $emulator).Count | Should -Be 5

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Stop()

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            Start-Sleep -Milliseconds 300
            @(Get-RevokeRequest $emulator).Count | Should -Be 5 -Because 'no revoke may start after Ctrl+C'
        }
        finally {
            $shell.Dispose()
            $emulator | Stop-ClerkEmulator
        }
    }
}

Describe 'One rate limiter per connection' {
    It 'is sized by the key and settable on Connect-Clerk' {
        $development = Start-ClerkEmulator -Environment Development
        $production = Start-ClerkEmulator -Environment Production
        try {
            ($development | Connect-Clerk -PassThru).RateLimit.ToString() | Should -Be '100 / 10 s'
            ($production | Connect-Clerk -PassThru).RateLimit.ToString() | Should -Be '1000 / 10 s'
            ($production | Connect-Clerk -RateLimit 250 -RateLimitWindowSec 5 -PassThru).RateLimit.ToString() | Should -Be '250 / 5 s'
            ($production | Connect-Clerk -RateLimit 0 -PassThru).RateLimit.ToString() | Should -Be 'off'
            (Get-ClerkConnection | Format-List | Out-String) | Should -Match 'RateLimit\s+: off'
        }
        finally {
            Disconnect-Clerk
            $development, $production | Stop-ClerkEmulator
        }
    }

    It 'paces runspaces that share one -Connection under one limit: Clerk never answers 429' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        # Clerk (here the emulator) allows 20 per 2 s; the connection is told the same and shared by four runspaces.
        $emulator = Start-ClerkEmulator -UserCount 1 -SessionsPerUser 4 -RateLimit 20 -RateLimitWindowSec 2
        try {
            $shared = $emulator | Connect-Clerk -RateLimit 20 -RateLimitWindowSec 2 -PassThru
            $session = (Get-ClerkSession -UserId $emulator.UserIds[0] -First 1 -Connection $shared).Id
            Reset-ClerkEmulator -Emulator $emulator
            Start-Sleep -Seconds 2

            $got = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:moduleManifest
                foreach ($n in 1..15) { Get-ClerkSession -SessionId $using:session -Connection $using:shared }
            }

            @($got).Count | Should -Be 60
            $requests = @(Get-ClerkEmulatorRequest -Emulator $emulator)
            $requests.Count | Should -Be 60
            @($requests | Where-Object StatusCode -eq 429).Count | Should -Be 0
            $arrivals = @($requests | Sort-Object Sequence | ForEach-Object ReceivedAt)
            # Arrivals, not sends: a request can reach the emulator some ms after its permit when CI keeps both cores
            # busy, so 5% of the window is allowed for that; no 429 above is what Clerk's side saw.
            for ($i = 20; $i -lt $arrivals.Count; $i++) {
                ($arrivals[$i] - $arrivals[$i - 20]).TotalMilliseconds | Should -BeGreaterOrEqual 1900 -Because "requests $($i - 20) and $i are 21 in one window"
            }
        }
        finally {
            Disconnect-Clerk -ErrorAction SilentlyContinue
            $emulator | Stop-ClerkEmulator
        }
    }
}
