#Requires -Version 5.1
# Faults during a bulk revoke, proven in the engine: 1,000 active sessions piped from Get-ClerkSession to
# Revoke-ClerkSession -Force -ThrottleLimit n while the emulator answers the revokes with one kind of fault after
# another. Each case checks, from the emulator's request log, that every input ends as a revoked session or an error
# naming it, that no session was revoked more often than the retry policy allows, that the time stays bounded and
# that the emulator's sessions agree with what was written. Then a key rolled mid-run, and Ctrl+C during a 429 wait.
# The connections retry at most twice (-MaxRetries 2), give each attempt a second (-TimeoutSec 1) and do not pace
# (-RateLimit 0); the emulators' own rate limit is off, so the only 429s are the scripted ones.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop

    # 2,000 sessions for one user, the first half active: the 1,000 of the issue.
    $sessionsPerUser = 2000
    $maxRetries = 2

    function Start-FaultEmulator {
        param([int] $LatencyMs = 0)
        Start-ClerkEmulator -UserCount 1 -SessionsPerUser $sessionsPerUser -Environment Production -RateLimit 0 -LatencyMs $LatencyMs
    }

    function Connect-FaultEmulator {
        param($Emulator)
        $Emulator | Connect-Clerk -RateLimit 0 -MaxRetries $maxRetries -TimeoutSec 1 -PassThru
    }

    # The session id a revoke request addressed: /v1/sessions/<id>/revoke.
    function Get-RevokedSessionId {
        param([Parameter(ValueFromPipeline)] $Request)
        process { $Request.Path.Split('/')[3] }
    }

    # The emulator's revoke requests, oldest first, grouped by session id.
    function Get-RevokeLog {
        param($Emulator)
        $byId = @{}
        foreach ($request in @(Get-ClerkEmulatorRequest -Emulator $Emulator -Operation RevokeSession | Sort-Object Sequence)) {
            $id = $request | Get-RevokedSessionId
            if (-not $byId.ContainsKey($id)) { $byId[$id] = [System.Collections.Generic.List[object]]::new() }
            $byId[$id].Add($request)
        }
        $byId
    }

    function New-IdSet {
        param([string[]] $Ids)
        $set = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($id in $Ids) { $null = $set.Add($id) }
        , $set
    }

    # The ids among $Ids that the emulator holds as revoked now.
    function Get-RevokedOnEmulator {
        param($Emulator, [string[]] $Ids)
        $connection = Connect-FaultEmulator $Emulator
        $revoked = New-IdSet @(Get-ClerkSession -UserId $Emulator.UserIds[0] -Status revoked -PageSize 500 -Connection $connection).Id
        Disconnect-Clerk -Connection $connection
        @($Ids | Where-Object { $revoked.Contains($_) })
    }

    # What -ErrorVariable holds: the error records, also of a terminating error (held as the exception that carries it).
    function Get-ErrorRecord {
        param($Collected)
        @($Collected | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord } })
    }
}

AfterAll {
    Get-ClerkEmulator | Stop-ClerkEmulator
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
}

Describe 'Get-ClerkSession | Revoke-ClerkSession -Force -ThrottleLimit 20 over 1,000 sessions, under faults' {
    BeforeAll {
        $emulator = Start-FaultEmulator
        $connection = Connect-FaultEmulator $emulator
        $user = $emulator.UserIds[0]
        $throttle = 20
        $allIds = @(Get-ClerkSession -UserId $user -Status active -PageSize 500 -Connection $connection).Id
        # Five sessions whose every revoke request gets the fault: they exhaust the retries (or get the one answer).
        # They come first, so that the connection-wide pauses of a 429 overlap rather than add up one after another.
        $doomed = @($allIds[0..4])
        # Besides those, the next 40 revoke requests of any session get it once each (a retry may meet it again).
        $spread = 40
    }

    AfterAll {
        Disconnect-Clerk -Connection $connection
    }

    BeforeEach {
        Reset-ClerkEmulator -Emulator $emulator
    }

    # Retried: whether RetryPolicy repeats a revoke after this fault (attempts: 1 + -MaxRetries), else one attempt.
    # WorkDone: whether the emulator revoked the session before the answer was lost (cut short, or later than the
    # attempt timeout), so a session with an error may be revoked all the same; for the others it is untouched.
    # WaitSec: the longest one attempt may cost: the Retry-After of 1 s, a backoff step (at most 1 s before the second
    # retry; a 429 without Retry-After that is not retried still pauses the connection for the next step, at most 2 s),
    # or the 1 s timeout plus a backoff.
    It 'accounts for every one of the 1,000 sessions, revokes none beyond the retries allowed, in bounded time: <Name>' -ForEach @(
        @{ Name = '429 with Retry-After in seconds'; Fault = @{ Kind = 'RateLimited'; RetryAfterSec = 1 }; Retried = $true; ErrorId = 'ClerkRateLimited'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '429 with Retry-After as an HTTP date'; Fault = @{ Kind = 'RateLimited'; RetryAfterSec = 1; RetryAfterFormat = 'HttpDate' }; Retried = $true; ErrorId = 'ClerkRateLimited'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '429 without Retry-After'; Fault = @{ Kind = 'RateLimited'; RetryAfterFormat = 'None' }; Retried = $true; ErrorId = 'ClerkRateLimited'; WorkDone = $false; WaitSec = 2 }
        @{ Name = '500'; Fault = @{ Kind = 'Status'; StatusCode = 500 }; Retried = $true; ErrorId = 'ClerkServerError'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '502 HTML page'; Fault = @{ Kind = 'HtmlPage'; StatusCode = 502 }; Retried = $true; ErrorId = 'ClerkServerError'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '503'; Fault = @{ Kind = 'Status'; StatusCode = 503 }; Retried = $true; ErrorId = 'ClerkServerError'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '504'; Fault = @{ Kind = 'Status'; StatusCode = 504 }; Retried = $true; ErrorId = 'ClerkServerError'; WorkDone = $false; WaitSec = 1 }
        @{ Name = 'connection dropped before the answer'; Fault = @{ Kind = 'DropConnection' }; Retried = $true; ErrorId = 'ClerkConnectionFailed'; WorkDone = $false; WaitSec = 1 }
        @{ Name = 'body cut short'; Fault = @{ Kind = 'TruncatedBody' }; Retried = $true; ErrorId = 'ClerkConnectionFailed'; WorkDone = $true; WaitSec = 1 }
        @{ Name = 'malformed JSON'; Fault = @{ Kind = 'MalformedJson' }; Retried = $false; ErrorId = 'ClerkRequestFailed'; WorkDone = $false; WaitSec = 1 }
        @{ Name = 'empty body'; Fault = @{ Kind = 'EmptyBody' }; Retried = $false; ErrorId = 'ClerkRequestFailed'; WorkDone = $false; WaitSec = 1 }
        @{ Name = 'answer slower than the attempt timeout'; Fault = @{ Kind = 'Slow'; DelayMs = 1500 }; Retried = $true; ErrorId = 'ClerkConnectionFailed'; WorkDone = $true; WaitSec = 2 }
        @{ Name = '404 for some ids'; Fault = @{ Kind = 'Status'; StatusCode = 404 }; Retried = $false; ErrorId = 'ClerkSessionNotFound'; WorkDone = $false; WaitSec = 1 }
        @{ Name = '410'; Fault = @{ Kind = 'Status'; StatusCode = 410 }; Retried = $false; ErrorId = 'ClerkEndpointRetired'; WorkDone = $false; WaitSec = 1 }
    ) {
        $attemptsAllowed = if ($Retried) { $maxRetries + 1 } else { 1 }
        foreach ($id in $doomed) {
            Add-ClerkEmulatorFault @Fault -Emulator $emulator -Path "/v1/sessions/$id/revoke" -Count $attemptsAllowed
        }
        Add-ClerkEmulatorFault @Fault -Emulator $emulator -Operation RevokeSession -Count $spread

        $failures = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $revoked = @(Get-ClerkSession -UserId $user -Status active -PageSize 500 -Connection $connection |
                Tee-Object -Variable piped |
                Revoke-ClerkSession -Force -ThrottleLimit $throttle -Connection $connection -ErrorAction SilentlyContinue -ErrorVariable failures)
        $clock.Stop()
        $failures = @($failures)

        # (a) Every input is a revoked session in the output or an error naming it, never both, never neither.
        $inputIds = @($piped.Id)
        $inputIds.Count | Should -Be 1000
        $revokedIds = @($revoked | ForEach-Object Id)
        $errorIds = @($failures | ForEach-Object TargetObject)
        $written = New-IdSet $revokedIds
        $failed = New-IdSet $errorIds
        $revoked.Status | Sort-Object -Unique | Should -Be 'revoked'
        $written.Count | Should -Be $revokedIds.Count -Because 'no session is written twice'
        $failed.Count | Should -Be $errorIds.Count -Because 'no session gets two errors'
        $written.Overlaps($failed) | Should -BeFalse
        (New-IdSet ($revokedIds + $errorIds)).SetEquals([string[]] $inputIds) | Should -BeTrue
        @($failures | Where-Object FullyQualifiedErrorId -ne "$ErrorId,ClerkSessions.Cmdlets.RevokeClerkSessionCommand") | Should -BeNullOrEmpty
        @($failures | Where-Object { "$_" -notlike "*$($_.TargetObject)*" }) | Should -BeNullOrEmpty -Because 'each error names its session in its message'
        @($doomed | Where-Object { -not $failed.Contains($_) }) | Should -BeNullOrEmpty
        $errorIds.Count | Should -BeLessOrEqual ($doomed.Count + $spread)

        # (b) From the log: at most the attempts the policy allows, each but the last one faulted; a session is in the
        # output exactly when its last request was answered without a fault, and an error follows every attempt faulted.
        $log = Get-RevokeLog $emulator
        $log.Count | Should -Be 1000
        $wrong = foreach ($id in $inputIds) {
            $requests = $log[$id]
            if (-not $requests) { "$id was never sent"; continue }
            if ($requests.Count -gt $attemptsAllowed) { "$id was sent $($requests.Count) times" }
            if (@($requests | Select-Object -SkipLast 1 | Where-Object { $null -eq $_.Fault }).Count -gt 0) { "$id was sent again after an answer without fault" }
            if ($null -eq $requests[-1].Fault) {
                if ($requests[-1].StatusCode -ne 200 -or -not $written.Contains($id)) { "$id was answered $($requests[-1].StatusCode) but not written" }
            }
            elseif ($requests.Count -ne $attemptsAllowed -or -not $failed.Contains($id)) {
                "$id failed after $($requests.Count) of $attemptsAllowed attempt(s), error written: $($failed.Contains($id))"
            }
        }
        $wrong | Should -BeNullOrEmpty

        # (c) Bounded: the run without faults takes well under 10 s; each wave of 20 faulted requests, and each retry of
        # the longest chain, may add one wait.
        $faulted = $doomed.Count * $attemptsAllowed + $spread
        $boundSec = 10 + $WaitSec * ([Math]::Ceiling($faulted / $throttle) + $attemptsAllowed)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan $boundSec

        # (d) The emulator agrees: what was written is revoked there; a session with an error is revoked only when the
        # fault lost the answer after Clerk had done the work, whose error is then ClerkConnectionFailed (see (a)).
        $onEmulator = New-IdSet (Get-RevokedOnEmulator $emulator $inputIds)
        $written.IsSubsetOf($onEmulator) | Should -BeTrue
        $failedButRevoked = @($errorIds | Where-Object { $onEmulator.Contains($_) })
        if ($WorkDone) {
            $failedButRevoked.Count | Should -Be $errorIds.Count
        }
        else {
            $failedButRevoked | Should -BeNullOrEmpty
        }
    }
}

Describe 'The key is rolled mid-run (401 after some revokes)' {
    BeforeAll {
        # A little latency, so that revokes are still in flight when the key stops working.
        $emulator = Start-FaultEmulator -LatencyMs 5
    }

    It 'stops at once with one ClerkSecretKeyRejected, sends nothing beyond the revokes in flight, spams no error per input' {
        $connection = Connect-FaultEmulator $emulator
        $throttle = 10
        $rollAt = 250
        $seen = 0
        $sinceRoll = $null
        $revoked = [System.Collections.Generic.List[object]]::new()
        $failures = $null
        $stopped = $null
        try {
            # Pages of 500: the listing needs no request between the roll and the stop, so the revokes meet the key first.
            Get-ClerkSession -UserId $emulator.UserIds[0] -Status active -PageSize 500 -Connection $connection |
                ForEach-Object {
                    if (++$seen -eq $rollAt) {
                        Set-ClerkEmulator -Emulator $emulator -RotateSecretKey
                        $sinceRoll = [Diagnostics.Stopwatch]::StartNew()
                    }
                    $_
                } |
                Revoke-ClerkSession -Force -ThrottleLimit $throttle -Connection $connection -ErrorVariable failures |
                ForEach-Object { $revoked.Add($_) }
        }
        catch {
            $stopped = $_
        }
        $sinceRoll.Stop()
        $requestsAtStop = @(Get-ClerkEmulatorRequest -Emulator $emulator).Count

        # One clear error, from Revoke-ClerkSession, saying what happened, and no error for each input left.
        $stopped | Should -Not -BeNullOrEmpty
        $stopped.FullyQualifiedErrorId | Should -Be 'ClerkSecretKeyRejected,ClerkSessions.Cmdlets.RevokeClerkSessionCommand'
        "$stopped" | Should -BeLike 'Clerk rejected the secret key, so the command stopped: *(HTTP 401, code authentication_invalid*'
        $recorded = @(Get-ErrorRecord $failures)
        $recorded.Count | Should -Be 1
        $recorded[0].FullyQualifiedErrorId | Should -Be $stopped.FullyQualifiedErrorId
        $sinceRoll.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'the run stops at the first rejected answer'

        # Only the revokes in flight when the key was rolled met the rejected key: at most -ThrottleLimit of them.
        $log = @(Get-ClerkEmulatorRequest -Emulator $emulator -Operation RevokeSession)
        $rejected = @($log | Where-Object { -not $_.KeyAccepted })
        $rejected.Count | Should -BeGreaterThan 0
        $rejected.Count | Should -BeLessOrEqual $throttle
        @($log | Where-Object KeyAccepted).Count | Should -BeLessThan $rollAt
        $seen | Should -BeLessThan ($rollAt + 2 * $throttle) -Because 'the pipeline stopped reading input'
        Start-Sleep -Milliseconds 500
        @(Get-ClerkEmulatorRequest -Emulator $emulator).Count | Should -Be $requestsAtStop -Because 'nothing is sent after the stop'

        # What was written is revoked; a revoke Clerk accepted is missing from the output only if its answer was
        # still in flight at the stop.
        $accepted = @($log | Where-Object { $_.KeyAccepted -and $_.StatusCode -eq 200 } | Get-RevokedSessionId)
        $onEmulator = New-IdSet (Get-RevokedOnEmulator $emulator $accepted)
        $written = New-IdSet @($revoked.Id)
        $written.Count | Should -Be $revoked.Count
        $written.IsSubsetOf($onEmulator) | Should -BeTrue
        @($accepted | Where-Object { -not $written.Contains($_) }).Count | Should -BeLessThan $throttle
    }
}

Describe 'Ctrl+C while a bulk revoke waits out a 429' {
    It 'stops within a second during the Retry-After wait, and sends nothing when the wait would have ended' {
        $emulator = Start-FaultEmulator
        $shell = [powershell]::Create()
        try {
            $retryAfterSec = 3
            Add-ClerkEmulatorFault -Emulator $emulator -Kind RateLimited -RetryAfterSec $retryAfterSec -Operation RevokeSession
            $null = $shell.AddScript({
                    param($Manifest, $ApiUrl, $Key, $User)
                    Import-Module $Manifest
                    $c = Connect-Clerk -SecretKey $Key -ApiUrl $ApiUrl -RateLimit 0 -MaxRetries 2 -TimeoutSec 1 -PassThru
                    Get-ClerkSession -UserId $User -Status active -PageSize 500 -Connection $c | Revoke-ClerkSession -Force -ThrottleLimit 20 -Connection $c
                }).AddArgument($moduleManifest).AddArgument($emulator.ApiUrl).AddArgument($emulator.SecretKey).AddArgument($emulator.UserIds[0])
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not @(Get-ClerkEmulatorRequest -Emulator $emulator -Operation RevokeSession | Where-Object StatusCode -eq 429) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            $limited = @(Get-ClerkEmulatorRequest -Emulator $emulator -Operation RevokeSession | Where-Object StatusCode -eq 429)
            $limited.Count | Should -Be 1
            # Let the answers in flight with the 429 come back: the whole connection is now paused for the Retry-After.
            Start-Sleep -Milliseconds 300
            $sent = @(Get-ClerkEmulatorRequest -Emulator $emulator).Count
            $shell.InvocationStateInfo.State | Should -Be 'Running'

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Stop()

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            @(Get-ClerkEmulatorRequest -Emulator $emulator).Count | Should -Be $sent -Because 'the pause held every request back'
            $untilWaitEnds = $limited[0].ReceivedAt.AddSeconds($retryAfterSec + 1) - [DateTimeOffset]::UtcNow
            if ($untilWaitEnds -gt [TimeSpan]::Zero) { Start-Sleep -Milliseconds ([int]$untilWaitEnds.TotalMilliseconds) }
            @(Get-ClerkEmulatorRequest -Emulator $emulator).Count | Should -Be $sent -Because 'no revoke may start after Ctrl+C, nor the retry of the 429'
        }
        finally {
            $shell.Dispose()
            $emulator | Stop-ClerkEmulator
        }
    }
}
