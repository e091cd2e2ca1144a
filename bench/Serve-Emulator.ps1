#Requires -Version 7.4
<#
.SYNOPSIS
    Serves one Clerk emulator as a standalone server for bench/Invoke-EndToEndBenchmark.ps1, until told to stop.
.DESCRIPTION
    Runs in a child pwsh so that the emulator's work (HTTP, JSON, rate limit) is not timed with the client's. It
    imports the staged module, starts the emulator without -Wait, and writes -ReadyFile (JSON: ApiUrl, Port, UserIds,
    environment and limits). It then polls for -StopFile. Once that appears it writes -StatsFile (JSON): the
    emulator's request log summed up (by status code, by operation, revoke requests per session id), followed by the
    active sessions each seeded user has left, counted with the rate limit and latency switched off after the log
    was read. Then it exits. It also stops by itself when the parent process ends or after -MaxLifetimeSec.

    The secret key comes from the environment variable named by -KeyVariable, never from the command line.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReadyFile,
    [Parameter(Mandatory)] [string] $StopFile,
    [Parameter(Mandatory)] [string] $StatsFile,
    [int] $Port = 0,
    [int] $UserCount = 1,
    [int] $SessionsPerUser = 6,
    [int] $LatencyMs = 0,
    # -1 leaves Clerk's limit for the key's environment (100 development, 1000 production); 0 turns it off.
    [int] $RateLimit = -1,
    [int] $RateLimitWindowSec = 10,
    [string] $KeyVariable = 'CLERK_BENCH_EMULATOR_KEY',
    [int] $ParentProcessId = 0,
    [int] $MaxLifetimeSec = 3600
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Write-JsonFile([string] $Path, $Value) {
    # Written aside and moved into place, so the parent never reads half a file.
    $Value | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath "$Path.tmp" -Encoding utf8
    Move-Item -LiteralPath "$Path.tmp" -Destination $Path -Force
}

function Get-RequestStatistics($Requests) {
    $byStatus = [ordered]@{}
    foreach ($group in $Requests | Group-Object StatusCode | Sort-Object { [int]$_.Name }) {
        $byStatus[$group.Name] = $group.Count
    }

    $byOperation = [ordered]@{}
    foreach ($group in $Requests | Group-Object { if ($_.Operation) { $_.Operation } else { '(unknown)' } } | Sort-Object Name) {
        $statuses = [ordered]@{}
        foreach ($status in $group.Group | Group-Object StatusCode | Sort-Object { [int]$_.Name }) {
            $statuses[$status.Name] = $status.Count
        }

        $byOperation[$group.Name] = [ordered]@{
            Requests        = $group.Count
            ByStatus        = $statuses
            FirstReceivedAt = ($group.Group | Select-Object -First 1).ReceivedAt.ToString('o')
            LastReceivedAt  = ($group.Group | Select-Object -Last 1).ReceivedAt.ToString('o')
        }
    }

    $revokes = @($Requests | Where-Object Operation -EQ 'RevokeSession')
    $perSession = @($revokes | Group-Object { ($_.Path -split '/')[3] } | ForEach-Object {
            [pscustomobject]@{
                SessionId = $_.Name
                Requests  = $_.Count
                Succeeded = @($_.Group | Where-Object StatusCode -EQ 200).Count
            }
        })
    $distribution = [ordered]@{}
    foreach ($group in $perSession | Group-Object Requests | Sort-Object { [int]$_.Name }) {
        $distribution[$group.Name] = $group.Count
    }

    $duplicates = @($perSession | Where-Object Requests -GT 1 | Sort-Object Requests -Descending)
    $first = $Requests | Select-Object -First 1
    $last = $Requests | Select-Object -Last 1
    [ordered]@{
        Requests                          = @($Requests).Count
        FirstReceivedAt                   = if ($first) { $first.ReceivedAt.ToString('o') } else { $null }
        LastReceivedAt                    = if ($last) { $last.ReceivedAt.ToString('o') } else { $null }
        ByStatus                          = $byStatus
        ByOperation                       = $byOperation
        RevokedSessions                   = @($perSession | Where-Object Succeeded -GE 1).Count
        RevokeRequestsPerSession          = $distribution
        SessionsWithSeveralRevokeRequests = $duplicates.Count
        SessionsRevokedSuccessfullyTwice  = @($perSession | Where-Object Succeeded -GT 1).Count
        # The first 100 only: enough to see which sessions, not a second copy of the log.
        SeveralRevokeRequests             = @($duplicates | Select-Object -First 100)
    }
}

$emulator = $null
try {
    $plainKey = [Environment]::GetEnvironmentVariable($KeyVariable)
    if (-not $plainKey) {
        throw "The emulator's secret key must be in the environment variable $KeyVariable."
    }

    [Environment]::SetEnvironmentVariable($KeyVariable, $null)
    Import-Module $ModulePath

    $start = @{
        Port               = $Port
        SecretKey          = ConvertTo-SecureString $plainKey -AsPlainText -Force
        UserCount          = $UserCount
        SessionsPerUser    = $SessionsPerUser
        LatencyMs          = $LatencyMs
        RateLimitWindowSec = $RateLimitWindowSec
    }
    if ($RateLimit -ge 0) {
        $start.RateLimit = $RateLimit
    }

    # Start-ClerkEmulator caps the seeding (10,000 sessions per user today); the emulator's own API allows more, and
    # the cmdlets take the object it returns as they take Start-ClerkEmulator's.
    $startedWith = 'Start-ClerkEmulator'
    $caps = (Get-Command Start-ClerkEmulator).Parameters
    $overCap = foreach ($name in 'UserCount', 'SessionsPerUser') {
        $range = $caps[$name].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        if ($range -and $start[$name] -gt $range.MaxRange) { $name }
    }

    if ($overCap) {
        $startedWith = '[ClerkSessions.Emulator.ClerkEmulator]::Start (over the cmdlet''s range: ' + ($overCap -join ', ') + ')'
        $options = [ClerkSessions.Emulator.ClerkEmulatorOptions]@{
            Port              = $Port
            SecretKey         = $start.SecretKey
            Users             = $UserCount
            SessionsPerUser   = $SessionsPerUser
            Latency           = [TimeSpan]::FromMilliseconds($LatencyMs)
            RateLimitWindow   = [TimeSpan]::FromSeconds($RateLimitWindowSec)
        }
        if ($RateLimit -ge 0) {
            $options.RateLimit = $RateLimit
        }

        $emulator = [ClerkSessions.Emulator.ClerkEmulator]::Start($options)
    }
    else {
        $emulator = Start-ClerkEmulator @start
    }

    $plainKey = $null
    Write-JsonFile $ReadyFile ([ordered]@{
            ApiUrl          = $emulator.ApiUrl.ToString()
            Port            = $emulator.Port
            ProcessId       = $PID
            StartedWith     = $startedWith
            Environment     = $emulator.Environment.ToString()
            RateLimit       = $emulator.RateLimit
            RateLimitWindow = $emulator.RateLimitWindow.TotalSeconds
            LatencyMs       = $emulator.Latency.TotalMilliseconds
            SessionsPerUser = $emulator.SessionsPerUser
            UserIds         = $emulator.UserIds
        })

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path -LiteralPath $StopFile)) {
        if ($clock.Elapsed.TotalSeconds -gt $MaxLifetimeSec) {
            throw "No stop file after $MaxLifetimeSec s: stopping."
        }

        if ($ParentProcessId -gt 0 -and -not (Get-Process -Id $ParentProcessId -ErrorAction SilentlyContinue)) {
            throw "The parent process $ParentProcessId is gone: stopping."
        }

        Start-Sleep -Milliseconds 100
    }

    $statistics = Get-RequestStatistics (Get-ClerkEmulatorRequest -Emulator $emulator)

    # Counted after the log was read, so these requests are in no figure; without limit or latency they are quick.
    Set-ClerkEmulator -Emulator $emulator -RateLimit 0 -LatencyMs 0
    $connection = $emulator | Connect-Clerk -PassThru
    $activeLeft = 0
    $usersWithActiveLeft = 0
    foreach ($userId in $emulator.UserIds) {
        $left = (Get-ClerkSession -UserId $userId -Status active -PageSize 500 -Connection $connection | Measure-Object).Count
        $activeLeft += $left
        if ($left -gt 0) {
            $usersWithActiveLeft++
        }
    }

    Disconnect-Clerk -Connection $connection
    $statistics.ActiveSessionsLeft = $activeLeft
    $statistics.UsersWithActiveSessionsLeft = $usersWithActiveLeft
    Write-JsonFile $StatsFile $statistics
}
catch {
    $failure = "$($_.Exception.GetType().FullName): $($_.Exception.Message)`n$($_.ScriptStackTrace)"
    Set-Content -LiteralPath "$StatsFile.error" -Value $failure -Encoding utf8
    exit 1
}
finally {
    if ($emulator) {
        $emulator.Stop()
    }
}
