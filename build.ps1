#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the ClerkSessions module.
.DESCRIPTION
    Build    publishes src/ClerkSessions and stages an explicit allow-list of files into out/ClerkSessions, so that
             `Import-Module ./out/ClerkSessions` loads exactly what would be shipped.
    Test     runs `dotnet test`, then the Pester 5 suite (tests/*.Tests.ps1) against the staged module in a fresh
             PowerShell process, so the module's assemblies never stay loaded in this shell.
    Docs     turns docs/*.md (PlatyPS markdown) into MAML help in the staged module.
    Package  checks the staged manifest and writes a .nupkg for the PowerShell Gallery into out/package.
    Pester, Microsoft.PowerShell.PlatyPS and Microsoft.PowerShell.PSResourceGet are used when installed and installed
    for the current user only when missing.
.EXAMPLE
    ./build.ps1
    Builds and tests (the default).
.EXAMPLE
    ./build.ps1 -Task Build; Import-Module ./out/ClerkSessions
.EXAMPLE
    ./build.ps1 -Task Build, Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
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
$DocsDir = Join-Path $RepoRoot 'docs'
. (Join-Path (Join-Path $RepoRoot 'tools') 'Use-BuildModule.ps1')

# Everything the module folder may hold besides the manifest and help. System.Management.Automation is never in it:
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
    'ClerkSessions.Format.ps1xml'
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

function Assert-Staged {
    if (-not (Test-Path -LiteralPath (Join-Path $StageDir "$ModuleName.psd1"))) {
        throw "The module is not staged in $StageDir; run ./build.ps1 -Task Build first."
    }
}

function Invoke-TestTask {
    Assert-Staged
    Push-Location -LiteralPath $RepoRoot
    $previous = $env:CLERKSESSIONS_PESTER
    try {
        # dotnet test would run the Pester suite itself when pwsh is on PATH; here it runs once, below.
        $env:CLERKSESSIONS_PESTER = 'external'
        Invoke-Dotnet -Arguments @('test', '--configuration', $Configuration, '--nologo')
    }
    finally {
        $env:CLERKSESSIONS_PESTER = $previous
        Pop-Location
    }

    # The same PowerShell that runs this script (pwsh or powershell.exe), in a fresh process.
    $shell = (Get-Process -Id $PID).Path
    & $shell -NoProfile -NonInteractive -File (Join-Path (Join-Path $RepoRoot 'tests') 'Invoke-PesterSuite.ps1') -ModulePath $StageDir
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester suite failed (exit code $LASTEXITCODE)."
    }
}

function Invoke-DocsTask {
    Assert-Staged
    $pages = @(Get-ChildItem -LiteralPath $DocsDir -Filter '*-*.md' -ErrorAction SilentlyContinue)
    if ($pages.Count -eq 0) {
        Write-Warning "docs/ holds no cmdlet pages yet: no MAML help was generated."
        return
    }

    Use-BuildModule -Name Microsoft.PowerShell.PlatyPS -MinimumVersion '1.0.0' -MaximumVersion '1.99.99'
    $helpDir = Join-Path $StageDir 'en-US'
    $null = New-Item -ItemType Directory -Path $helpDir -Force
    $commandHelp = $pages | ForEach-Object { Import-MarkdownCommandHelp -Path $_.FullName }
    $exportDir = Join-Path $OutRoot 'maml'
    if (Test-Path -LiteralPath $exportDir) {
        Remove-Item -LiteralPath $exportDir -Recurse -Force
    }
    $null = $commandHelp | Export-MamlCommandHelp -OutputFolder $exportDir -Force
    $maml = @(Get-ChildItem -LiteralPath $exportDir -Filter '*.xml' -Recurse)
    if ($maml.Count -ne 1) {
        throw "PlatyPS wrote $($maml.Count) MAML files to $exportDir; expected one."
    }
    # Binary modules find their help under the assembly's name.
    Copy-Item -LiteralPath $maml[0].FullName -Destination (Join-Path $helpDir "$ModuleName.dll-Help.xml") -Force

    $about = Join-Path $DocsDir "about_$ModuleName.md"
    if (Test-Path -LiteralPath $about) {
        $aboutText = Get-Content -LiteralPath $about -Raw
        Set-Content -LiteralPath (Join-Path $helpDir "about_$ModuleName.help.txt") -Value $aboutText -Encoding UTF8
    }
    Write-Host "Help written to $helpDir"
}

function Invoke-PackageTask {
    Assert-Staged
    $null = Test-ModuleManifest -Path (Join-Path $StageDir "$ModuleName.psd1") -ErrorAction Stop
    Use-BuildModule -Name Microsoft.PowerShell.PSResourceGet -MinimumVersion '1.0.0'
    $packageDir = Join-Path $OutRoot 'package'
    $null = New-Item -ItemType Directory -Path $packageDir -Force
    $repositoryName = "$ModuleName-local-$PID"
    Register-PSResourceRepository -Name $repositoryName -Uri $packageDir -Trusted
    try {
        Publish-PSResource -Path $StageDir -Repository $repositoryName
    }
    finally {
        Unregister-PSResourceRepository -Name $repositoryName
    }
    Get-ChildItem -LiteralPath $packageDir -Filter '*.nupkg' | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

foreach ($name in $Task) {
    Write-Host "== $name"
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Docs' { Invoke-DocsTask }
        'Package' { Invoke-PackageTask }
    }
}
