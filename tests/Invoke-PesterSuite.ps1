#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester 5 suite (tests/*.Tests.ps1) against the staged module and the recorded-response server.
.DESCRIPTION
    Started by `build.ps1 -Task Test` and by `dotnet test` (when pwsh is on PATH), each time in a fresh process so
    that the module's assemblies never stay loaded in the shell that builds them. Exits 0 only when every test ran
    and passed.
.PARAMETER ModulePath
    The staged module folder. Default: out/ClerkSessions, staged afresh by `build.ps1 -Task Build`.
.PARAMETER TestServerPath
    ClerkSessions.TestServer.dll. Default: built into out/testserver.
.PARAMETER SkipHelp
    The module was staged without help (build.ps1 -SkipHelp): the help tests are reported as skipped. Without it they
    run, and fail when the module has no help. Refused under CI=true, where the help is always tested.
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $TestServerPath,
    [string] $ResultPath,
    [switch] $SkipHelp
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
. (Join-Path (Join-Path $repoRoot 'tools') 'Use-BuildModule.ps1')

if (-not $ModulePath) {
    # Staged afresh, so the suite never tests a module left over from an earlier build.
    & (Join-Path $repoRoot 'build.ps1') -Task Build
    $ModulePath = Join-Path (Join-Path $repoRoot 'out') 'ClerkSessions'
}

if (-not $TestServerPath) {
    $serverOut = Join-Path (Join-Path $repoRoot 'out') 'testserver'
    $serverProject = Join-Path (Join-Path (Join-Path $repoRoot 'tests') 'ClerkSessions.TestServer') 'ClerkSessions.TestServer.csproj'
    & dotnet build $serverProject --configuration Release --output $serverOut --nologo --verbosity quiet
    if ($LASTEXITCODE -ne 0) { throw "Building the recorded-response server failed (exit code $LASTEXITCODE)." }
    $TestServerPath = Join-Path $serverOut 'ClerkSessions.TestServer.dll'
}

if (-not $ResultPath) {
    $ResultPath = Join-Path (Join-Path $repoRoot 'out') 'pester-results.xml'
}

Use-BuildModule -Name Pester -MinimumVersion '5.5.0' -MaximumVersion '5.99.99'

# The suite reads these; they are the only inputs it has.
$env:CLERKSESSIONS_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).Path
$env:CLERKSESSIONS_TEST_SERVER = (Resolve-Path -LiteralPath $TestServerPath).Path
$env:CLERKSESSIONS_RECORDINGS = Join-Path $PSScriptRoot 'recordings'
$env:CLERKSESSIONS_SKIP_HELP = $null
if ($SkipHelp -and -not (Test-Path -LiteralPath (Join-Path $env:CLERKSESSIONS_MODULE_PATH 'en-US'))) {
    if ($env:CI -eq 'true') {
        throw 'CI=true: the module must be staged with its help, so that the help tests run; build without -SkipHelp.'
    }
    Write-Warning 'The module was staged without help (-SkipHelp): the help tests are skipped.'
    $env:CLERKSESSIONS_SKIP_HELP = 'true'
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1' | ForEach-Object { $_.FullName })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath

$result = Invoke-Pester -Configuration $configuration
Write-Host "pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped; result $($result.Result)"
if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) {
    exit 1
}
exit 0
