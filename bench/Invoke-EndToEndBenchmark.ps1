#Requires -Version 7.4
<#
.SYNOPSIS
    End-to-end benchmark of the staged ClerkSessions module against Clerk emulators served by child processes.
.DESCRIPTION
    Each scenario starts its own emulator(s) with bench/Serve-Emulator.ps1 in a child pwsh (loopback HTTP, the
    latency of -LatencyMs, Clerk's rate limit unless said otherwise), runs the module in this process against it and
    reads back the emulator's request statistics. Scenarios:

      BulkRevoke            sk_live_ key (1000 / 10 s), one user with -BulkSessions active sessions:
                            Get-ClerkSession -UserId $u -Status active | Revoke-ClerkSession -Force
      InvokeRestMethodLoop  the same sessions on a fresh emulator, listed and revoked by a sequential Invoke-RestMethod loop
      DevelopmentKey        as BulkRevoke with an sk_test_ key (100 / 10 s) and -DevelopmentSessions active sessions
      LargeList             one user with -LargeListSessions sessions (no rate limit), Get-ClerkSession -PageSize
                            -LargeListPageSize: time to first object, total time, memory growth
      GetLoop               -GetLoopCount x Get-ClerkSession -SessionId in a foreach loop, the same ids in one call,
                            and raw HttpClient GETs, at latency 0 and at -LatencyMs (no rate limit)
      ManyUsers             -ManyUsers users x 3 sessions (2 active each), sk_live_ key: Import-Csv users.csv | ... | Revoke-ClerkSession
      ScaleOut              k emulators (each its own process and production limit, -ScaleOutSessions active sessions),
                            revoked in parallel with ForEach-Object -Parallel -ThrottleLimit k
      Import                fresh processes, -ImportRounds rounds taking turns: `pwsh -NoProfile -c 0`, the same with
                            Import-Module, and Import-Module plus one call (Connect-Clerk, Get-ClerkSession -UserId
                            -First 1 against an emulator): medians and their ratios to the bare start; with
                            -ImportBaselineModulePath, another build's import and import plus call take their turns too

    Parameters that only newer builds of the module have are detected with (Get-Command).Parameters and passed only
    when given here: -ThrottleLimit (Revoke-ClerkSession), -ConnectRateLimit and -ConnectRateLimitWindowSec
    (Connect-Clerk -RateLimit/-RateLimitWindowSec). The figures are written as JSON to -OutFile (and as markdown
    beside it) and printed as a markdown table. Every child process is stopped at the end, also on failure.
.EXAMPLE
    pwsh ./bench/Invoke-EndToEndBenchmark.ps1 -Scenario BulkRevoke,GetLoop -OutFile ./bench/work/run.json
#>
[CmdletBinding()]
param(
    # All, or any of BulkRevoke, InvokeRestMethodLoop, DevelopmentKey, LargeList, GetLoop, ManyUsers, ScaleOut, Import. Lists
    # may also be one comma-separated string, as `pwsh -File` passes them.
    [string[]] $Scenario = 'All',

    [string] $ModulePath = (Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'out') 'ClerkSessions'),

    [ValidateRange(0, 600000)]
    [int] $LatencyMs = 50,

    # Default: bench/work/e2e-<time>.json (ignored by git).
    [string] $OutFile,

    # Passed to Revoke-ClerkSession when given and the module has the parameter.
    [ValidateRange(1, 1000)]
    [int] $ThrottleLimit,

    # Passed to Connect-Clerk as -RateLimit / -RateLimitWindowSec when given and the module has the parameters.
    [ValidateRange(1, 1000000)]
    [int] $ConnectRateLimit,
    [ValidateRange(1, 3600)]
    [int] $ConnectRateLimitWindowSec,

    [ValidateRange(1, 500000)] [int] $BulkSessions = 2000,
    [ValidateRange(1, 500000)] [int] $DevelopmentSessions = 300,
    [ValidateRange(1, 1000000)] [int] $LargeListSessions = 100000,
    [ValidateRange(1, 500)] [int] $LargeListPageSize = 500,
    [ValidateRange(1, 1000000)] [int] $GetLoopCount = 1000,
    [ValidateRange(0, 100000)] [int] $GetLoopWarmup = 50,
    # GetLoop's rounds (medians are reported): at latency 0, where a round takes about a second and the noise is
    # large, and at -LatencyMs, where a round takes minutes and the latency dominates.
    [ValidateRange(1, 100)] [int] $GetLoopRounds = 5,
    [ValidateRange(1, 100)] [int] $GetLoopRoundsAtLatency = 1,
    [ValidateRange(1, 100000)] [int] $ManyUsers = 1000,
    # The k values, e.g. 1,2,3 (or '1,2,3' through pwsh -File).
    [string[]] $ScaleOutInstances = @('1', '2', '3'),
    [ValidateRange(1, 500000)] [int] $ScaleOutSessions = 1000,
    [ValidateRange(1, 1000)] [int] $ImportRounds = 20,
    # Another staged build (e.g. of an earlier commit) measured in the same rounds, for a before/after on one machine.
    [string] $ImportBaselineModulePath,

    # Where the children's ready, stop and statistics files go; a fresh folder under bench/work by default.
    [string] $WorkDirectory,
    [switch] $KeepWorkDirectory
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Progress is not drawn, as in a runbook or CI job; the cmdlets still report it to the host.
$ProgressPreference = 'SilentlyContinue'

$allScenarios = 'BulkRevoke', 'InvokeRestMethodLoop', 'DevelopmentKey', 'LargeList', 'GetLoop', 'ManyUsers', 'ScaleOut', 'Import'
# pwsh -File hands '1,2,3' over as one string: split every list parameter on commas.
$Scenario = @($Scenario -split ',' | ForEach-Object Trim | Where-Object { $_ })
$unknown = @($Scenario | Where-Object { $_ -notin @('All') + $allScenarios })
if ($unknown) {
    throw "Unknown scenario(s) $($unknown -join ', '): use All or any of $($allScenarios -join ', ')."
}

$selected = if ($Scenario -contains 'All') { $allScenarios } else { $allScenarios | Where-Object { $Scenario -contains $_ } }
$scaleOutCounts = @($ScaleOutInstances -split ',' | ForEach-Object Trim | Where-Object { $_ } | ForEach-Object {
        $k = 0
        if (-not [int]::TryParse($_, [ref]$k) -or $k -lt 1 -or $k -gt 16) {
            throw "-ScaleOutInstances takes whole numbers from 1 to 16, not '$_'."
        }

        $k
    })
$apiVersion = '2026-05-12'
$keyVariable = 'CLERK_BENCH_EMULATOR_KEY'
$serveScript = Join-Path $PSScriptRoot 'Serve-Emulator.ps1'
$pwshPath = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$children = [System.Collections.Generic.List[object]]::new()
$stamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')
if (-not $OutFile) {
    $OutFile = Join-Path (Join-Path $PSScriptRoot 'work') "e2e-$stamp.json"
}

$OutFile = [System.IO.Path]::GetFullPath($OutFile, (Get-Location).ProviderPath)
$ownWorkDirectory = -not $WorkDirectory
if ($ownWorkDirectory) {
    $WorkDirectory = Join-Path (Join-Path $PSScriptRoot 'work') "run-$stamp-$PID"
}

$WorkDirectory = [System.IO.Path]::GetFullPath($WorkDirectory, (Get-Location).ProviderPath)

#region Child emulators

function New-BenchSecretKey([ValidateSet('Development', 'Production')] [string] $Environment) {
    $bytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(24)
    $prefix = if ($Environment -eq 'Production') { 'sk_live_' } else { 'sk_test_' }
    $prefix + [Convert]::ToHexString($bytes).ToLowerInvariant()
}

function Start-BenchEmulator {
    param(
        [Parameter(Mandatory)] [string] $Name,
        [ValidateSet('Development', 'Production')] [string] $Environment = 'Production',
        [int] $UserCount = 1,
        [int] $SessionsPerUser = 6,
        [int] $Latency = 0,
        # -1: the environment's own limit; 0: off.
        [int] $RateLimit = -1,
        [switch] $Wait
    )

    $key = New-BenchSecretKey $Environment
    $directory = Join-Path $WorkDirectory ('{0}-{1}' -f $Name, [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory -Path $directory -Force
    $child = [pscustomobject]@{
        Name       = $Name
        Directory  = $directory
        ReadyFile  = Join-Path $directory 'ready.json'
        StopFile   = Join-Path $directory 'stop'
        StatsFile  = Join-Path $directory 'stats.json'
        Key        = $key
        Process    = $null
        Ready      = $null
        ApiUrl     = $null
        UserIds    = $null
        Statistics = $null
    }
    $arguments = @(
        '-NoProfile', '-NonInteractive', '-File', $serveScript,
        '-ModulePath', $moduleFullPath,
        '-ReadyFile', $child.ReadyFile, '-StopFile', $child.StopFile, '-StatsFile', $child.StatsFile,
        '-UserCount', $UserCount, '-SessionsPerUser', $SessionsPerUser,
        '-LatencyMs', $Latency, '-RateLimit', $RateLimit, '-RateLimitWindowSec', 10,
        '-KeyVariable', $keyVariable, '-ParentProcessId', $PID
    )
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwshPath)
    foreach ($argument in $arguments) {
        $start.ArgumentList.Add([string]$argument)
    }

    $start.UseShellExecute = $false
    $start.WorkingDirectory = $directory
    # Only the child's environment gets the key; it never appears on a command line.
    $start.Environment[$keyVariable] = $key
    $child.Process = [System.Diagnostics.Process]::Start($start)
    $children.Add($child)
    if ($Wait) {
        Wait-BenchEmulator @($child)
    }

    $child
}

function Wait-BenchEmulator([object[]] $Emulators, [int] $TimeoutSec = 300) {
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($child in $Emulators) {
        while (-not (Test-Path -LiteralPath $child.ReadyFile)) {
            if ($child.Process.HasExited -or $clock.Elapsed.TotalSeconds -gt $TimeoutSec) {
                $why = if (Test-Path -LiteralPath "$($child.StatsFile).error") { Get-Content -LiteralPath "$($child.StatsFile).error" -Raw } else { "no error file (exited: $($child.Process.HasExited))" }
                $how = if ($child.Process.HasExited) { "exited with code $($child.Process.ExitCode)" } else { "not ready within $TimeoutSec s" }
                throw "The emulator '$($child.Name)' $how`: $why"
            }

            Start-Sleep -Milliseconds 100
        }

        $child.Ready = Get-Content -LiteralPath $child.ReadyFile -Raw | ConvertFrom-Json
        $child.ApiUrl = $child.Ready.ApiUrl
        $child.UserIds = @($child.Ready.UserIds)
    }
}


# Asks the child to stop, then returns its statistics (null when it wrote none); kills it if it does not end.
function Stop-BenchEmulator($Child, [int] $TimeoutSec = 180) {
    if ($null -eq $Child.Process) {
        return $Child.Statistics
    }

    if (-not $Child.Process.HasExited) {
        $null = New-Item -ItemType File -Path $Child.StopFile -Force
        if (-not $Child.Process.WaitForExit($TimeoutSec * 1000)) {
            Write-Warning "The emulator '$($Child.Name)' (process $($Child.Process.Id)) did not stop within $TimeoutSec s: killing it."
            $Child.Process.Kill($true)
            $null = $Child.Process.WaitForExit(10000)
        }
    }

    if (Test-Path -LiteralPath $Child.StatsFile) {
        $Child.Statistics = Get-Content -LiteralPath $Child.StatsFile -Raw | ConvertFrom-Json
    }
    elseif (Test-Path -LiteralPath "$($Child.StatsFile).error") {
        Write-Warning "The emulator '$($Child.Name)' failed: $(Get-Content -LiteralPath "$($Child.StatsFile).error" -Raw)"
    }

    $Child.Process.Dispose()
    $Child.Process = $null
    $Child.Statistics
}

function Stop-AllBenchEmulators {
    foreach ($child in @($children)) {
        try {
            $null = Stop-BenchEmulator $child -TimeoutSec 30
        }
        catch {
            Write-Warning "Stopping the emulator '$($child.Name)': $_"
            if ($child.Process -and -not $child.Process.HasExited) {
                $child.Process.Kill($true)
            }
        }
    }
}

#endregion

#region Reading the statistics

function Get-Property($Object, [string[]] $Path) {
    foreach ($name in $Path) {
        if ($null -eq $Object) {
            return $null
        }

        $property = $Object.PSObject.Properties[$name]
        $Object = if ($property) { $property.Value } else { $null }
    }

    $Object
}

function Get-Count($Statistics, [string[]] $Path) {
    $value = Get-Property $Statistics $Path
    if ($null -eq $value) { 0 } else { [long]$value }
}

function Get-Rounded([double] $Value, [int] $Digits = 2) {
    [Math]::Round($Value, $Digits)
}

# What the emulator saw of a bulk revoke, in the same shape for every scenario that revokes.
function Get-RevokeFigures($Statistics, [int] $Expected, [int] $Outputs, [double] $Seconds, [int] $RateLimit) {
    $requests = Get-Count $Statistics 'Requests'
    $answered429 = Get-Count $Statistics 'ByStatus', '429'
    $listRequests = Get-Count $Statistics 'ByOperation', 'GetSessionList', 'Requests'
    $revokeRequests = Get-Count $Statistics 'ByOperation', 'RevokeSession', 'Requests'
    $listPhase = $null
    $first = Get-Property $Statistics 'ByOperation', 'GetSessionList', 'FirstReceivedAt'
    $last = Get-Property $Statistics 'ByOperation', 'GetSessionList', 'LastReceivedAt'
    if ($first -and $last) {
        # ConvertFrom-Json may have read them as dates already; the cast takes either.
        $listPhase = Get-Rounded ([DateTimeOffset]$last - [DateTimeOffset]$first).TotalSeconds
    }

    $refill = $RateLimit / 10.0
    [ordered]@{
        Seconds                           = Get-Rounded $Seconds
        RevokesPerSec                     = Get-Rounded ($Outputs / $Seconds)
        Expected                          = $Expected
        Outputs                           = $Outputs
        ActiveSessionsLeft                = Get-Count $Statistics 'ActiveSessionsLeft'
        RevokedSessions                   = Get-Count $Statistics 'RevokedSessions'
        RevokedTwice                      = Get-Count $Statistics 'SessionsRevokedSuccessfullyTwice'
        SessionsWithSeveralRevokeRequests = Get-Count $Statistics 'SessionsWithSeveralRevokeRequests'
        Requests                          = $requests
        ListRequests                      = $listRequests
        RevokeRequests                    = $revokeRequests
        Answered429                       = $answered429
        Percent429                        = if ($requests) { Get-Rounded (100.0 * $answered429 / $requests) } else { 0 }
        # From the first list request received to the last: in BulkRevoke, the wait before the first revoke (with
        # -Status every page is read first); in ManyUsers the lists are spread over the whole run.
        ListPhaseSeconds                  = $listPhase
        # Sequential floor: every request waits the emulator's latency once.
        LatencyBoundSeconds               = Get-Rounded ($requests * $LatencyMs / 1000.0)
        # A token bucket of RateLimit per 10 s, full at the start: what the limit alone requires of the requests made.
        RateLimitBoundSeconds             = if ($refill -gt 0) { Get-Rounded ([Math]::Max(0, $requests - $RateLimit) / $refill) } else { 0 }
    }
}

#endregion

#region Module facts and version-dependent parameters

function Get-ModuleFacts {
    $facts = [ordered]@{
        Path             = $moduleFullPath
        Version          = $module.Version.ToString()
        AssemblyWritten  = (Get-Item -LiteralPath (Join-Path $moduleFullPath 'ClerkSessions.dll')).LastWriteTimeUtc.ToString('o')
        GitCommit        = $null
        GitBranch        = $null
        GitSourceChanges = $null
    }
    if (Get-Command git -ErrorAction Ignore) {
        $root = git -C $moduleFullPath rev-parse --show-toplevel 2>$null
        if ($LASTEXITCODE -eq 0 -and $root) {
            $facts.GitCommit = (git -C $root rev-parse HEAD).Trim()
            $facts.GitBranch = (git -C $root rev-parse --abbrev-ref HEAD).Trim()
            # Uncommitted changes to what the module is built from, if any (the staged module may include them).
            $facts.GitSourceChanges = @(git -C $root status --porcelain -- src ClerkSessions.psd1 Directory.Build.props Directory.Packages.props)
        }
    }

    $facts
}

function Get-MachineFacts {
    $cpu = $null
    if (Test-Path -LiteralPath /proc/cpuinfo) {
        $cpu = (Select-String -LiteralPath /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    }

    [ordered]@{
        ProcessorCount = [Environment]::ProcessorCount
        Cpu            = $cpu
        OS             = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
        Architecture   = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString()
        PowerShell     = $PSVersionTable.PSVersion.ToString()
        DotNet         = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        MemoryGiB      = if (Test-Path -LiteralPath /proc/meminfo) { Get-Rounded (([long]((Select-String -LiteralPath /proc/meminfo -Pattern '^MemTotal:\s*(\d+)').Matches[0].Groups[1].Value)) / 1MB) 1 } else { $null }
    }
}

#endregion

#region Scenarios

function Connect-BenchClerk($Child, [switch] $PassThru, [switch] $Unpaced) {
    $connect = @{ SecretKey = ConvertTo-SecureString $Child.Key -AsPlainText -Force; ApiUrl = $Child.ApiUrl } + $connectExtras
    if ($PassThru) {
        $connect.PassThru = $true
    }

    if ($Unpaced -and $connectCommand.Parameters.ContainsKey('RateLimit')) {
        $connect.RateLimit = 0
    }

    Connect-Clerk @connect
}

function Invoke-BulkRevokeScenario([string] $Name, [ValidateSet('Development', 'Production')] [string] $Environment, [int] $Active) {
    $child = Start-BenchEmulator -Wait -Name $Name -Environment $Environment -UserCount 1 -SessionsPerUser (2 * $Active) -Latency $LatencyMs
    $userId = $child.UserIds[0]
    Connect-BenchClerk $child
    $listErrors = $null
    $revokeErrors = $null
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $outputs = (Get-ClerkSession -UserId $userId -Status active -ErrorAction SilentlyContinue -ErrorVariable listErrors |
            Revoke-ClerkSession -Force @revokeExtras -ErrorAction SilentlyContinue -ErrorVariable revokeErrors |
            Measure-Object).Count
    $seconds = $clock.Elapsed.TotalSeconds
    Disconnect-Clerk
    $statistics = Stop-BenchEmulator $child
    $figures = [ordered]@{ Environment = $Environment; RateLimit = $child.Ready.RateLimit; ActiveSessions = $Active }
    $figures += Get-RevokeFigures $statistics $Active $outputs $seconds $child.Ready.RateLimit
    $figures.ListErrors = @($listErrors).Count
    $figures.RevokeErrors = @($revokeErrors).Count
    $figures.ErrorSamples = @(@($listErrors) + @($revokeErrors) | Select-Object -First 5 | ForEach-Object { "$_" })
    $figures.Emulator = $statistics
    $figures
}

function Invoke-RestMethodLoopScenario {
    $child = Start-BenchEmulator -Wait -Name 'InvokeRestMethodLoop' -Environment Production -UserCount 1 -SessionsPerUser (2 * $BulkSessions) -Latency $LatencyMs
    $userId = $child.UserIds[0]
    $headers = @{ Authorization = "Bearer $($child.Key)"; 'Clerk-API-Version' = $apiVersion }
    # Invoke-RestMethod's own retries (it honours Retry-After on 429), so a tripped limit slows the loop instead of ending it.
    $retry = @{ MaximumRetryCount = 4; RetryIntervalSec = 1 }
    $pageSize = 100
    $ids = [System.Collections.Generic.List[string]]::new()
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $offset = 0
    do {
        $page = Invoke-RestMethod -Uri "$($child.ApiUrl)sessions?user_id=$userId&status=active&paginated=true&limit=$pageSize&offset=$offset" -Headers $headers @retry
        $data = @($page.data)
        foreach ($session in $data) {
            $ids.Add($session.id)
        }

        $offset += $data.Count
    } while ($data.Count -eq $pageSize -and $offset -lt $page.total_count)

    $listSeconds = $clock.Elapsed.TotalSeconds
    $revoked = 0
    foreach ($id in $ids) {
        $session = Invoke-RestMethod -Method Post -Uri "$($child.ApiUrl)sessions/$id/revoke" -Headers $headers @retry
        if ($session.status -eq 'revoked') {
            $revoked++
        }
    }

    $seconds = $clock.Elapsed.TotalSeconds
    $statistics = Stop-BenchEmulator $child
    $figures = [ordered]@{ Environment = 'Production'; RateLimit = $child.Ready.RateLimit; ActiveSessions = $BulkSessions; PageSize = $pageSize; ListSeconds = Get-Rounded $listSeconds }
    $figures += Get-RevokeFigures $statistics $BulkSessions $revoked $seconds $child.Ready.RateLimit
    $figures.Emulator = $statistics
    $figures
}

function Invoke-LargeListScenario {
    $child = Start-BenchEmulator -Wait -Name 'LargeList' -Environment Production -UserCount 1 -SessionsPerUser $LargeListSessions -Latency $LatencyMs -RateLimit 0
    $userId = $child.UserIds[0]
    Connect-BenchClerk $child
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    [GC]::Collect()
    $managedBefore = [GC]::GetTotalMemory($true)
    $process.Refresh()
    $workingSetBefore = $process.WorkingSet64
    $collections = 0..2 | ForEach-Object { [GC]::CollectionCount($_) }
    # Only counters are kept: each session is dropped once counted, so what grows is what the module holds.
    $sample = @{ Objects = 0; FirstObjectSeconds = $null; MaxManaged = $managedBefore; MaxWorkingSet = $workingSetBefore; Samples = 0 }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Get-ClerkSession -UserId $userId -PageSize $LargeListPageSize | ForEach-Object {
        $sample.Objects++
        if ($sample.Objects -eq 1) {
            $sample.FirstObjectSeconds = $clock.Elapsed.TotalSeconds
        }

        if ($sample.Objects % 1000 -eq 0) {
            $sample.Samples++
            $managed = [GC]::GetTotalMemory($false)
            if ($managed -gt $sample.MaxManaged) {
                $sample.MaxManaged = $managed
            }

            $process.Refresh()
            if ($process.WorkingSet64 -gt $sample.MaxWorkingSet) {
                $sample.MaxWorkingSet = $process.WorkingSet64
            }
        }
    }

    $seconds = $clock.Elapsed.TotalSeconds
    $collectionsAfter = 0..2 | ForEach-Object { [GC]::CollectionCount($_) }
    Disconnect-Clerk
    $statistics = Stop-BenchEmulator $child
    [ordered]@{
        Sessions                = $LargeListSessions
        PageSize                = $LargeListPageSize
        EmulatorStartedWith     = Get-Property $child.Ready 'StartedWith'
        Objects                 = $sample.Objects
        FirstObjectSeconds      = if ($null -ne $sample.FirstObjectSeconds) { Get-Rounded $sample.FirstObjectSeconds 3 } else { $null }
        Seconds                 = Get-Rounded $seconds
        SessionsPerSec          = Get-Rounded ($sample.Objects / $seconds)
        ListRequests            = Get-Count $statistics 'ByOperation', 'GetSessionList', 'Requests'
        LatencyBoundSeconds     = Get-Rounded ((Get-Count $statistics 'Requests') * $LatencyMs / 1000.0)
        ManagedBeforeMiB        = Get-Rounded ($managedBefore / 1MB)
        ManagedGrowthMaxMiB     = Get-Rounded (($sample.MaxManaged - $managedBefore) / 1MB)
        WorkingSetBeforeMiB     = Get-Rounded ($workingSetBefore / 1MB)
        WorkingSetGrowthMaxMiB  = Get-Rounded (($sample.MaxWorkingSet - $workingSetBefore) / 1MB)
        MemorySamples           = $sample.Samples
        GcCollectionsGen0To2    = @(0..2 | ForEach-Object { $collectionsAfter[$_] - $collections[$_] })
        Emulator                = $statistics
    }
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $middle = [Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Measure-GetLoop([int] $Latency, [int] $Rounds) {
    $child = Start-BenchEmulator -Wait -Name "GetLoop-$Latency" -Environment Production -UserCount 1 -SessionsPerUser 2 -Latency $Latency -RateLimit 0
    $http = $null
    $moduleLoop = [System.Collections.Generic.List[double]]::new()
    $oneCall = [System.Collections.Generic.List[double]]::new()
    $raw = [System.Collections.Generic.List[double]]::new()
    $failed = 0
    try {
        # The emulator's limit is off here, and so is the module's pacing where it has one: loops of 1,000 calls would
        # otherwise wait for Clerk's 1000 / 10 s, which measures the limit, not the module.
        Connect-BenchClerk $child -Unpaced
        $sessionId = (Get-ClerkSession -UserId $child.UserIds[0] -Status active -First 1).Id
        $url = "$($child.ApiUrl)sessions/$sessionId"
        # The same requests from one invocation: what is left of the loop's cost is per invocation, not per request.
        $ids = @($sessionId) * $GetLoopCount
        $http = [System.Net.Http.HttpClient]::new()
        $http.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $child.Key)
        $http.DefaultRequestHeaders.Add('Clerk-API-Version', $apiVersion)

        foreach ($i in 1..[Math]::Max(1, $GetLoopWarmup)) {
            $null = Get-ClerkSession -SessionId $sessionId
            $response = $http.GetAsync($url).GetAwaiter().GetResult()
            $null = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            $response.Dispose()
        }

        # Rounds interleave the three ways, so a slow spell of the machine does not land on one of them only.
        $clock = [System.Diagnostics.Stopwatch]::new()
        foreach ($round in 1..$Rounds) {
            $clock.Restart()
            foreach ($i in 1..$GetLoopCount) {
                $null = Get-ClerkSession -SessionId $sessionId
            }

            $moduleLoop.Add($clock.Elapsed.TotalSeconds)

            $clock.Restart()
            $null = Get-ClerkSession -SessionId $ids
            $oneCall.Add($clock.Elapsed.TotalSeconds)

            $clock.Restart()
            foreach ($i in 1..$GetLoopCount) {
                $response = $http.GetAsync($url).GetAwaiter().GetResult()
                $null = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
                if (-not $response.IsSuccessStatusCode) {
                    $failed++
                }

                $response.Dispose()
            }

            $raw.Add($clock.Elapsed.TotalSeconds)
        }
    }
    finally {
        if ($http) {
            $http.Dispose()
        }

        Disconnect-Clerk -ErrorAction SilentlyContinue
    }

    $statistics = Stop-BenchEmulator $child
    $moduleSeconds = Get-Median $moduleLoop
    $oneCallSeconds = Get-Median $oneCall
    $rawSeconds = Get-Median $raw
    [ordered]@{
        LatencyMs                  = $Latency
        Calls                      = $GetLoopCount
        Rounds                     = $Rounds
        # Medians over the rounds; every round's figure is below.
        ModuleLoopMsPerCall        = Get-Rounded (1000 * $moduleSeconds / $GetLoopCount) 3
        ModuleOneCallMsPerRequest  = Get-Rounded (1000 * $oneCallSeconds / $GetLoopCount) 3
        RawMsPerCall               = Get-Rounded (1000 * $rawSeconds / $GetLoopCount) 3
        RatioModuleLoopToRaw       = Get-Rounded ($moduleSeconds / $rawSeconds) 3
        RatioModuleOneCallToRaw    = Get-Rounded ($oneCallSeconds / $rawSeconds) 3
        # Loop minus one call: starting Get-ClerkSession once more; one call minus raw: the client and cmdlet per request.
        PerInvocationOverheadMs    = Get-Rounded (1000 * ($moduleSeconds - $oneCallSeconds) / $GetLoopCount) 3
        PerRequestOverheadMs       = Get-Rounded (1000 * ($oneCallSeconds - $rawSeconds) / $GetLoopCount) 3
        ModuleLoopSecondsByRound   = @($moduleLoop | ForEach-Object { Get-Rounded $_ 3 })
        ModuleOneCallSecondsByRound = @($oneCall | ForEach-Object { Get-Rounded $_ 3 })
        RawHttpClientSecondsByRound = @($raw | ForEach-Object { Get-Rounded $_ 3 })
        RawFailed                  = $failed
        EmulatorRequests           = Get-Count $statistics 'Requests'
        EmulatorByStatus           = Get-Property $statistics 'ByStatus'
    }
}

function Invoke-GetLoopScenario {
    $latencies = @(0, $LatencyMs) | Select-Object -Unique
    $runs = foreach ($latency in $latencies) {
        Measure-GetLoop $latency $(if ($latency -eq 0) { $GetLoopRounds } else { $GetLoopRoundsAtLatency })
    }

    [ordered]@{ Warmup = $GetLoopWarmup; Runs = @($runs) }
}

function Invoke-ManyUsersScenario {
    $child = Start-BenchEmulator -Wait -Name 'ManyUsers' -Environment Production -UserCount $ManyUsers -SessionsPerUser 3 -Latency $LatencyMs
    $csv = Join-Path $child.Directory 'users.csv'
    $child.UserIds | ForEach-Object { [pscustomobject]@{ UserId = $_ } } | Export-Csv -LiteralPath $csv -NoTypeInformation
    $byPropertyName = @((Get-Command Get-ClerkSession).Parameters['UserId'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }).Count -gt 0
    $expected = 2 * $ManyUsers
    Connect-BenchClerk $child
    $listErrors = $null
    $revokeErrors = $null
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    if ($byPropertyName) {
        $pipeline = 'Import-Csv users.csv | Get-ClerkSession -Status active | Revoke-ClerkSession -Force'
        $outputs = (Import-Csv -LiteralPath $csv |
                Get-ClerkSession -Status active -ErrorAction SilentlyContinue -ErrorVariable listErrors |
                Revoke-ClerkSession -Force @revokeExtras -ErrorAction SilentlyContinue -ErrorVariable revokeErrors |
                Measure-Object).Count
    }
    else {
        $pipeline = 'Import-Csv users.csv | ForEach-Object { Get-ClerkSession -UserId $_.UserId -Status active } | Revoke-ClerkSession -Force'
        $outputs = (Import-Csv -LiteralPath $csv |
                ForEach-Object { Get-ClerkSession -UserId $_.UserId -Status active -ErrorAction SilentlyContinue -ErrorVariable +listErrors } |
                Revoke-ClerkSession -Force @revokeExtras -ErrorAction SilentlyContinue -ErrorVariable revokeErrors |
                Measure-Object).Count
    }

    $seconds = $clock.Elapsed.TotalSeconds
    Disconnect-Clerk
    $statistics = Stop-BenchEmulator $child
    $requests = Get-Count $statistics 'Requests'
    $figures = [ordered]@{
        Users                     = $ManyUsers
        UserIdByPropertyName      = $byPropertyName
        Pipeline                  = $pipeline
        RateLimit                 = $child.Ready.RateLimit
    }
    $figures += Get-RevokeFigures $statistics $expected $outputs $seconds $child.Ready.RateLimit
    # As the issue counts it: every request at Clerk's sustained production rate of 100 per second.
    $figures.RateLimitAloneSeconds = Get-Rounded ($requests / 100.0)
    $figures.RatioToRateLimitAlone = if ($requests) { Get-Rounded ($seconds / ($requests / 100.0)) } else { $null }
    $figures.ListErrors = @($listErrors).Count
    $figures.RevokeErrors = @($revokeErrors).Count
    $figures.ErrorSamples = @(@($listErrors) + @($revokeErrors) | Select-Object -First 5 | ForEach-Object { "$_" })
    $figures.Emulator = $statistics
    $figures
}

function Measure-ScaleOut([int] $Instances) {
    $started = foreach ($n in 1..$Instances) {
        Start-BenchEmulator -Name "ScaleOut-k$Instances-$n" -Environment Production -UserCount 1 -SessionsPerUser (2 * $ScaleOutSessions) -Latency $LatencyMs
    }

    $started = @($started)
    Wait-BenchEmulator $started
    $work = @($started | ForEach-Object { [pscustomobject]@{ Name = $_.Name; ApiUrl = $_.ApiUrl; Key = $_.Key; UserId = $_.UserIds[0] } })
    $modulePathForRunspaces = $moduleFullPath
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $perInstance = @($work | ForEach-Object -ThrottleLimit $Instances -Parallel {
            Set-StrictMode -Version Latest
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            $instance = $_
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            Import-Module $using:modulePathForRunspaces
            $connect = @{ SecretKey = ConvertTo-SecureString $instance.Key -AsPlainText -Force; ApiUrl = $instance.ApiUrl; PassThru = $true } + $using:connectExtras
            $c = Connect-Clerk @connect
            $ready = $clock.Elapsed.TotalSeconds
            $revoke = $using:revokeExtras
            $revokeErrors = $null
            $revoked = (Get-ClerkSession -UserId $instance.UserId -Status active -Connection $c |
                    Revoke-ClerkSession -Force -Connection $c @revoke -ErrorAction SilentlyContinue -ErrorVariable revokeErrors |
                    Measure-Object).Count
            Disconnect-Clerk -Connection $c
            [pscustomobject]@{
                Name                = $instance.Name
                Revoked             = $revoked
                Errors              = @($revokeErrors).Count
                Seconds             = [Math]::Round($clock.Elapsed.TotalSeconds, 2)
                ImportConnectSeconds = [Math]::Round($ready, 2)
                RevokesPerSec       = [Math]::Round($revoked / ($clock.Elapsed.TotalSeconds - $ready), 2)
            }
        })
    $seconds = $clock.Elapsed.TotalSeconds
    $emulators = foreach ($child in $started) {
        $statistics = Stop-BenchEmulator $child
        [ordered]@{
            Name               = $child.Name
            Requests           = Get-Count $statistics 'Requests'
            Answered429        = Get-Count $statistics 'ByStatus', '429'
            ActiveSessionsLeft = Get-Count $statistics 'ActiveSessionsLeft'
            RevokedTwice       = Get-Count $statistics 'SessionsRevokedSuccessfullyTwice'
        }
    }

    $revoked = [long]($perInstance | Measure-Object Revoked -Sum).Sum
    [ordered]@{
        Instances            = $Instances
        ActivePerInstance    = $ScaleOutSessions
        Seconds              = Get-Rounded $seconds
        Revoked              = $revoked
        Expected             = $Instances * $ScaleOutSessions
        AggregateRevokesPerSec = Get-Rounded ($revoked / $seconds)
        Answered429          = [long]($emulators | ForEach-Object { $_.Answered429 } | Measure-Object -Sum).Sum
        ActiveSessionsLeft   = [long]($emulators | ForEach-Object { $_.ActiveSessionsLeft } | Measure-Object -Sum).Sum
        RevokedTwice         = [long]($emulators | ForEach-Object { $_.RevokedTwice } | Measure-Object -Sum).Sum
        PerInstance          = $perInstance
        Emulators            = @($emulators)
    }
}

function Invoke-ScaleOutScenario {
    $runs = foreach ($k in $scaleOutCounts) {
        Measure-ScaleOut $k
    }

    [ordered]@{ Runs = @($runs) }
}

# One fresh pwsh, timed from start to exit; the key reaches it through the environment only.
function Measure-FreshPwsh([string] $Command, [hashtable] $Environment = @{}) {
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwshPath)
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $Command) {
        $start.ArgumentList.Add($argument)
    }

    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) {
        $start.Environment[$name] = $Environment[$name]
    }

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()
    $null = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $clock.Stop()
    if ($process.ExitCode -ne 0 -or $errors.Result) {
        throw "pwsh -Command '$Command' failed ($($process.ExitCode)): $($errors.Result)"
    }

    $clock.Elapsed.TotalMilliseconds
}

function Invoke-ImportScenario {
    $child = Start-BenchEmulator -Name 'import' -Environment Production -UserCount 1 -SessionsPerUser 3 -RateLimit 0 -Wait
    try {
        $call = "Connect-Clerk -ApiUrl '$($child.ApiUrl)'; `$null = Get-ClerkSession -UserId '$($child.UserIds[0])' -First 1"
        $manifest = Join-Path $moduleFullPath 'ClerkSessions.psd1'
        $commands = [ordered]@{
            Bare       = '0'
            Import     = "Import-Module '$manifest'"
            ImportCall = "Import-Module '$manifest'; $call"
        }
        if ($ImportBaselineModulePath) {
            $baseline = Join-Path (Resolve-Path -LiteralPath $ImportBaselineModulePath).ProviderPath 'ClerkSessions.psd1'
            $commands.BaselineImport = "Import-Module '$baseline'"
            $commands.BaselineImportCall = "Import-Module '$baseline'; $call"
        }
        $environment = @{ CLERK_SECRET_KEY = $child.Key }
        $times = [ordered]@{}
        foreach ($name in $commands.Keys) {
            $times[$name] = [System.Collections.Generic.List[double]]::new()
        }

        # One unmeasured round warms the disk cache; then the three take turns, so drift on the machine hits all alike.
        foreach ($round in 0..$ImportRounds) {
            foreach ($name in $commands.Keys) {
                $ms = Measure-FreshPwsh $commands[$name] $environment
                if ($round -gt 0) { $times[$name].Add($ms) }
            }
        }

        $bare = Get-Median $times.Bare
        $figures = [ordered]@{ Rounds = $ImportRounds; BareMs = Get-Rounded $bare 1 }
        foreach ($name in @($commands.Keys | Where-Object { $_ -ne 'Bare' })) {
            $median = Get-Median $times[$name]
            $figures["${name}Ms"] = Get-Rounded $median 1
            $figures["Ratio${name}ToBare"] = Get-Rounded ($median / $bare) 3
        }

        $figures.BaselineModule = $ImportBaselineModulePath
        $figures.AllMs = $times
        $figures
    }
    finally {
        $null = Stop-BenchEmulator $child
    }
}

#endregion

#region Report

# The handful of figures per scenario that go into the markdown table; everything else stays in the JSON.
function Get-SummaryRows([string] $Name, $Figures) {
    if ($Figures.Contains('Error')) {
        return [pscustomobject]@{ Scenario = $Name; Case = 'failed'; Figures = $Figures.Error }
    }

    $pick = {
        param($From, [string] $Label, [string[]] $Keys)
        $parts = foreach ($key in $Keys) {
            if ($From.Contains($key)) { "$key $($From[$key])" }
        }

        [pscustomobject]@{ Scenario = $Name; Case = $Label; Figures = $parts -join '; ' }
    }
    switch ($Name) {
        { $_ -in 'BulkRevoke', 'DevelopmentKey', 'InvokeRestMethodLoop' } {
            & $pick $Figures "$($Figures.ActiveSessions) active, limit $($Figures.RateLimit)/10 s" @(
                'Seconds', 'RevokesPerSec', 'Outputs', 'Expected', 'ActiveSessionsLeft', 'RevokedTwice', 'Requests', 'ListRequests',
                'Answered429', 'Percent429', 'ListPhaseSeconds', 'LatencyBoundSeconds', 'RateLimitBoundSeconds')
        }
        'LargeList' {
            & $pick $Figures "$($Figures.Sessions) sessions, page $($Figures.PageSize)" @(
                'FirstObjectSeconds', 'Seconds', 'Objects', 'SessionsPerSec', 'ListRequests', 'ManagedGrowthMaxMiB', 'WorkingSetGrowthMaxMiB')
        }
        'GetLoop' {
            foreach ($run in $Figures.Runs) {
                & $pick $run "latency $($run.LatencyMs) ms, $($run.Calls) calls, median of $($run.Rounds)" @(
                    'ModuleLoopMsPerCall', 'ModuleOneCallMsPerRequest', 'RawMsPerCall', 'RatioModuleLoopToRaw', 'PerInvocationOverheadMs', 'PerRequestOverheadMs')
            }
        }
        'ManyUsers' {
            & $pick $Figures "$($Figures.Users) users x 2 active" @(
                'Seconds', 'Requests', 'ListRequests', 'RevokeRequests', 'RateLimitAloneSeconds', 'RatioToRateLimitAlone', 'Outputs', 'Expected',
                'ActiveSessionsLeft', 'Answered429', 'UserIdByPropertyName')
        }
        'Import' {
            & $pick $Figures "median of $($Figures.Rounds) fresh processes each" @(
                'BareMs', 'ImportMs', 'ImportCallMs', 'RatioImportToBare', 'RatioImportCallToBare',
                'BaselineImportMs', 'BaselineImportCallMs', 'RatioBaselineImportToBare', 'RatioBaselineImportCallToBare')
        }
        'ScaleOut' {
            foreach ($run in $Figures.Runs) {
                & $pick $run "k = $($run.Instances)" @('Seconds', 'Revoked', 'Expected', 'AggregateRevokesPerSec', 'Answered429', 'ActiveSessionsLeft', 'RevokedTwice')
            }
        }
    }
}

function Format-MarkdownTable($Result) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add("End-to-end benchmark, module $($Result.Module.Version) at $($Result.Module.GitCommit) ($($Result.Module.GitBranch)), latency $($Result.Settings.LatencyMs) ms, $($Result.Machine.ProcessorCount) CPUs, $($Result.Machine.OS), PowerShell $($Result.Machine.PowerShell), $($Result.Machine.DotNet)")
    $lines.Add('')
    $lines.Add('| Scenario | Case | Figures |')
    $lines.Add('|---|---|---|')
    foreach ($name in $Result.Scenarios.Keys) {
        foreach ($row in @(Get-SummaryRows $name $Result.Scenarios[$name])) {
            $cells = $row.Scenario, $row.Case, $row.Figures | ForEach-Object { "$_" -replace '\|', '\|' -replace '\r?\n', ' ' }
            $lines.Add('| ' + ($cells -join ' | ') + ' |')
        }
    }

    $lines -join [Environment]::NewLine
}

function Save-Result($Result) {
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $OutFile) -Force
    $Result | ConvertTo-Json -Depth 12 | Set-Content -LiteralPath $OutFile -Encoding utf8
    Format-MarkdownTable $Result | Set-Content -LiteralPath ([System.IO.Path]::ChangeExtension($OutFile, '.md')) -Encoding utf8
}

#endregion

$moduleFullPath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$module = Import-Module $moduleFullPath -PassThru -Force
$revokeCommand = Get-Command Revoke-ClerkSession
$connectCommand = Get-Command Connect-Clerk
$revokeExtras = @{}
$connectExtras = @{}
$notSupported = [System.Collections.Generic.List[string]]::new()
if ($PSBoundParameters.ContainsKey('ThrottleLimit')) {
    if ($revokeCommand.Parameters.ContainsKey('ThrottleLimit')) { $revokeExtras.ThrottleLimit = $ThrottleLimit } else { $notSupported.Add('Revoke-ClerkSession -ThrottleLimit') }
}

if ($PSBoundParameters.ContainsKey('ConnectRateLimit')) {
    if ($connectCommand.Parameters.ContainsKey('RateLimit')) { $connectExtras.RateLimit = $ConnectRateLimit } else { $notSupported.Add('Connect-Clerk -RateLimit') }
}

if ($PSBoundParameters.ContainsKey('ConnectRateLimitWindowSec')) {
    if ($connectCommand.Parameters.ContainsKey('RateLimitWindowSec')) { $connectExtras.RateLimitWindowSec = $ConnectRateLimitWindowSec } else { $notSupported.Add('Connect-Clerk -RateLimitWindowSec') }
}

foreach ($missing in $notSupported) {
    Write-Warning "This build of the module has no $missing`: measured without it."
}

$result = [ordered]@{
    Schema     = 1
    Tool       = 'bench/Invoke-EndToEndBenchmark.ps1'
    StartedAt  = [DateTimeOffset]::UtcNow.ToString('o')
    FinishedAt = $null
    Machine    = Get-MachineFacts
    Module     = Get-ModuleFacts
    Settings   = [ordered]@{
        Scenarios                 = @($selected)
        LatencyMs                 = $LatencyMs
        ProgressPreference        = "$ProgressPreference"
        BulkSessions              = $BulkSessions
        DevelopmentSessions       = $DevelopmentSessions
        LargeListSessions         = $LargeListSessions
        LargeListPageSize         = $LargeListPageSize
        GetLoopCount              = $GetLoopCount
        GetLoopWarmup             = $GetLoopWarmup
        GetLoopRounds             = $GetLoopRounds
        GetLoopRoundsAtLatency    = $GetLoopRoundsAtLatency
        ManyUsers                 = $ManyUsers
        ScaleOutInstances         = $scaleOutCounts
        ScaleOutSessions          = $ScaleOutSessions
        ImportRounds              = $ImportRounds
        ParametersDetected        = [ordered]@{
            'Revoke-ClerkSession -ThrottleLimit' = $revokeCommand.Parameters.ContainsKey('ThrottleLimit')
            'Connect-Clerk -RateLimit'           = $connectCommand.Parameters.ContainsKey('RateLimit')
            'Connect-Clerk -RateLimitWindowSec'  = $connectCommand.Parameters.ContainsKey('RateLimitWindowSec')
            'Get-ClerkSession -UserId by property name' = @($(Get-Command Get-ClerkSession).Parameters['UserId'].Attributes |
                    Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }).Count -gt 0
        }
        RevokeParametersPassed    = $revokeExtras
        ConnectParametersPassed   = $connectExtras
        ParametersNotSupported    = @($notSupported)
    }
    Scenarios  = [ordered]@{}
}

try {
    $null = New-Item -ItemType Directory -Path $WorkDirectory -Force
    foreach ($name in $selected) {
        Write-Host "== $name ($([DateTime]::Now.ToString('HH:mm:ss')))"
        $scenarioClock = [System.Diagnostics.Stopwatch]::StartNew()
        try {
            $figures = switch ($name) {
                'BulkRevoke' { Invoke-BulkRevokeScenario 'BulkRevoke' Production $BulkSessions }
                'InvokeRestMethodLoop' { Invoke-RestMethodLoopScenario }
                'DevelopmentKey' { Invoke-BulkRevokeScenario 'DevelopmentKey' Development $DevelopmentSessions }
                'LargeList' { Invoke-LargeListScenario }
                'GetLoop' { Invoke-GetLoopScenario }
                'ManyUsers' { Invoke-ManyUsersScenario }
                'ScaleOut' { Invoke-ScaleOutScenario }
                'Import' { Invoke-ImportScenario }
            }
        }
        catch {
            Write-Warning "$name failed: $_"
            $figures = [ordered]@{ Error = "$_"; ErrorAt = $_.ScriptStackTrace }
        }
        finally {
            Disconnect-Clerk -ErrorAction SilentlyContinue
            Stop-AllBenchEmulators
        }

        $figures.ScenarioWallSeconds = Get-Rounded $scenarioClock.Elapsed.TotalSeconds
        $result.Scenarios[$name] = $figures
        $result.FinishedAt = [DateTimeOffset]::UtcNow.ToString('o')
        Save-Result $result
        Write-Host "   done in $(Get-Rounded $scenarioClock.Elapsed.TotalSeconds 1) s"
    }
}
finally {
    Stop-AllBenchEmulators
    if ($ownWorkDirectory -and -not $KeepWorkDirectory -and (Test-Path -LiteralPath $WorkDirectory)) {
        Remove-Item -LiteralPath $WorkDirectory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Write-Host ''
Format-MarkdownTable $result
Write-Host ''
Write-Host "Figures: $OutFile"
