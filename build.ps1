#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and stages the ClerkSessions module.
.DESCRIPTION
    Build   publishes src/ClerkSessions and stages an explicit allow-list of files into out/ClerkSessions,
            so that `Import-Module ./out/ClerkSessions` loads exactly what would be shipped.
    Test    runs `dotnet test` (which runs the Pester suite itself when pwsh is on PATH).
.EXAMPLE
    ./build.ps1
    Builds and tests (the default).
.EXAMPLE
    ./build.ps1 -Task Build -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ModuleName = 'ClerkSessions'
$RepoRoot = $PSScriptRoot
$OutRoot = Join-Path $RepoRoot 'out'
$PublishDir = Join-Path $OutRoot 'publish'
$StageDir = Join-Path $OutRoot $ModuleName

# Everything the module folder may hold besides the manifest. System.Management.Automation is never in it:
# the PowerShell that imports the module supplies the engine. A test compares this list with the build's deps.json.
# module-files-begin
$ModuleFiles = @(
    'ClerkSessions.dll'
    'ClerkSessions.Core.dll'
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'Microsoft.Extensions.Configuration.Abstractions.dll'
    'Microsoft.Extensions.DependencyInjection.Abstractions.dll'
    'Microsoft.Extensions.DependencyInjection.dll'
    'Microsoft.Extensions.Http.dll'
    'Microsoft.Extensions.Logging.Abstractions.dll'
    'Microsoft.Extensions.Logging.dll'
    'Microsoft.Extensions.Options.dll'
    'Microsoft.Extensions.Primitives.dll'
    'System.Buffers.dll'
    'System.ComponentModel.Annotations.dll'
    'System.Diagnostics.DiagnosticSource.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
)
# module-files-end

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)

    Write-Verbose "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Invoke-BuildTask {
    if (Test-Path -LiteralPath $PublishDir) {
        Remove-Item -LiteralPath $PublishDir -Recurse -Force
    }

    $project = Join-Path (Join-Path (Join-Path $RepoRoot 'src') $ModuleName) "$ModuleName.csproj"
    Invoke-Dotnet -Arguments @('publish', $project, '--configuration', $Configuration, '--output', $PublishDir, '--nologo')

    if (Test-Path -LiteralPath $StageDir) {
        Remove-Item -LiteralPath $StageDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $StageDir

    $missing = @($ModuleFiles | Where-Object { -not (Test-Path -LiteralPath (Join-Path $PublishDir $_)) })
    if ($missing.Count -gt 0) {
        throw "The publish output lacks files the module ships: $($missing -join ', ')."
    }

    $unexpected = @(Get-ChildItem -LiteralPath $PublishDir -Filter '*.dll' |
        Where-Object { $ModuleFiles -notcontains $_.Name } |
        ForEach-Object { $_.Name })
    if ($unexpected.Count -gt 0) {
        throw "The publish output has assemblies the allow-list in build.ps1 does not name: $($unexpected -join ', '). Add them deliberately or remove the dependency."
    }

    foreach ($file in $ModuleFiles) {
        Copy-Item -LiteralPath (Join-Path $PublishDir $file) -Destination $StageDir
    }
    Copy-Item -LiteralPath (Join-Path $RepoRoot "$ModuleName.psd1") -Destination $StageDir

    Write-Host "Staged $($ModuleFiles.Count + 1) files in $StageDir"
}

function Invoke-TestTask {
    Push-Location -LiteralPath $RepoRoot
    try {
        Invoke-Dotnet -Arguments @('test', '--configuration', $Configuration, '--nologo')
    }
    finally {
        Pop-Location
    }
}

foreach ($name in $Task) {
    Write-Host "== $name"
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
    }
}
