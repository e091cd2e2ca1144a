#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the ClerkSessions module.
.DESCRIPTION
    Build    publishes src/ClerkSessions, stages an explicit allow-list of files into out/ClerkSessions, so that
             `Import-Module ./out/ClerkSessions` loads exactly what would be shipped, and adds the help (Docs)
             unless -SkipHelp is given.
    Test     runs `dotnet test`, then the Pester 5 suite (tests/*.Tests.ps1) against the staged module in a fresh
             PowerShell process, so the module's assemblies never stay loaded in this shell.
    Docs     turns docs/Verb-Noun.md (PlatyPS v1 markdown) into en-US/ClerkSessions.dll-Help.xml (MAML) and
             docs/about_ClerkSessions.md into en-US/about_ClerkSessions.help.txt in the staged module, failing on any
             page PlatyPS cannot read completely (tools/HelpBuilder).
    Package  checks the staged manifest and help and writes a .nupkg for the PowerShell Gallery into out/package.
    Demo     runs the bulk revoke with the staged module in a fresh PowerShell (tools/Invoke-BulkRevokeDemo.ps1): on
             the Clerk instance of $env:CLERK_SECRET_KEY for -UserId, asking before each revoke, else on the emulator.
    Pester, Microsoft.PowerShell.PlatyPS and Microsoft.PowerShell.PSResourceGet are used when installed and installed
    for the current user only when missing.
.EXAMPLE
    ./build.ps1
    Builds and tests (the default).
.EXAMPLE
    ./build.ps1 -Task Build; Import-Module ./out/ClerkSessions
.EXAMPLE
    ./build.ps1 -Task Build, Package
    Stages the module and writes out/package/ClerkSessions.<version>.nupkg. From another shell:
    pwsh ./build.ps1 -Task Build,Package
.EXAMPLE
    pwsh ./build.ps1 -Task Build,Demo
    Builds the module and revokes every session of a user on the Clerk emulator (no Clerk account needed).
.EXAMPLE
    ./build.ps1 -Task Build -SkipHelp
    Stages the module without help, on a machine that cannot install PlatyPS.
#>
[CmdletBinding()]
param(
    # Build, Test, Docs, Package or Demo, run in the order given. `pwsh -File` passes "Build,Package" as one string, so
    # the names are split at commas and checked below rather than by ValidateSet.
    [ArgumentCompleter({ param($command, $parameter, $word) 'Build', 'Test', 'Docs', 'Package', 'Demo' | Where-Object { $_ -like "$word*" } })]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Build stages the module without its help (no PlatyPS needed); Get-Help then shows only the syntax.
    [switch] $SkipHelp,

    # Demo: the user whose sessions are revoked when $env:CLERK_SECRET_KEY names a real instance.
    [string] $UserId
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Task = @($Task | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$unknownTasks = @($Task | Where-Object { @('Build', 'Test', 'Docs', 'Package', 'Demo') -notcontains $_ })
if ($unknownTasks.Count -gt 0 -or $Task.Count -eq 0) {
    throw "Unknown task '$($unknownTasks -join "', '")': the tasks are Build, Test, Docs, Package and Demo."
}

$ModuleName = 'ClerkSessions'
$RepoRoot = $PSScriptRoot
$OutRoot = Join-Path $RepoRoot 'out'
$PublishDir = Join-Path $OutRoot 'publish'
$StageDir = Join-Path $OutRoot $ModuleName
$DocsDir = Join-Path $RepoRoot 'docs'
. (Join-Path (Join-Path $RepoRoot 'tools') 'Use-BuildModule.ps1')

# Everything the module folder may hold besides the manifest and help. System.Management.Automation is never in it:
# the PowerShell that imports the module supplies the engine. A test compares this list with the build's deps.json.
# The module's own assemblies sit beside the manifest; the libraries other modules may also ship sit in dependencies/,
# where PowerShell does not look, and the module's loader (src/ClerkSessions/Loading) loads them privately.
# module-files-begin
$ModuleFiles = @(
    'ClerkSessions.dll'
    'ClerkSessions.Core.dll'
    'ClerkSessions.Emulator.dll'
    'dependencies/ClerkSessions.Isolated.dll'
    'dependencies/Microsoft.Bcl.AsyncInterfaces.dll'
    'dependencies/Microsoft.Extensions.Configuration.Abstractions.dll'
    'dependencies/Microsoft.Extensions.DependencyInjection.Abstractions.dll'
    'dependencies/Microsoft.Extensions.DependencyInjection.dll'
    'dependencies/Microsoft.Extensions.Http.dll'
    'dependencies/Microsoft.Extensions.Logging.Abstractions.dll'
    'dependencies/Microsoft.Extensions.Logging.dll'
    'dependencies/Microsoft.Extensions.Options.dll'
    'dependencies/Microsoft.Extensions.Primitives.dll'
    'dependencies/System.Buffers.dll'
    'dependencies/System.ComponentModel.Annotations.dll'
    'dependencies/System.Diagnostics.DiagnosticSource.dll'
    'dependencies/System.Formats.Asn1.dll'
    'dependencies/System.Memory.dll'
    'dependencies/System.Numerics.Vectors.dll'
    'dependencies/System.Runtime.CompilerServices.Unsafe.dll'
    'dependencies/System.Text.Encodings.Web.dll'
    'dependencies/System.Text.Json.dll'
    'dependencies/System.Threading.RateLimiting.dll'
    'dependencies/System.Threading.Tasks.Extensions.dll'
    'ClerkSessions.Format.ps1xml'
    'ClerkSessions.Types.ps1xml'
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

    $missing = @($ModuleFiles | Where-Object { -not (Test-Path -LiteralPath (Join-Path $PublishDir (Split-Path -Leaf $_))) })
    if ($missing.Count -gt 0) {
        throw "The publish output lacks files the module ships: $($missing -join ', ')."
    }

    $unexpected = @(Get-ChildItem -LiteralPath $PublishDir -Filter '*.dll' |
        Where-Object { @($ModuleFiles | Split-Path -Leaf) -notcontains $_.Name } |
        ForEach-Object { $_.Name })
    if ($unexpected.Count -gt 0) {
        throw "The publish output has assemblies the allow-list in build.ps1 does not name: $($unexpected -join ', '). Add them deliberately or remove the dependency."
    }

    foreach ($file in $ModuleFiles) {
        $destination = Join-Path $StageDir $file
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $destination) -Force
        Copy-Item -LiteralPath (Join-Path $PublishDir (Split-Path -Leaf $file)) -Destination $destination
    }
    Copy-Item -LiteralPath (Join-Path $RepoRoot "$ModuleName.psd1") -Destination $StageDir

    Write-Host "Staged $($ModuleFiles.Count + 1) files in $StageDir"
    if ($SkipHelp) {
        Write-Warning "-SkipHelp: the staged module has no help; Get-Help shows only the syntax."
    }
    else {
        Invoke-DocsTask
    }
}

function Assert-Staged {
    if (-not (Test-Path -LiteralPath (Join-Path $StageDir "$ModuleName.psd1"))) {
        throw "The module is not staged in $StageDir; run ./build.ps1 -Task Build first."
    }
}

# Runs a script in the same PowerShell that runs this one (pwsh or powershell.exe), in a fresh process, so the module's
# assemblies never stay loaded in the shell that builds them; throws $Failure when it fails.
function Invoke-FreshShell {
    param([Parameter(Mandatory)] [string[]] $Arguments, [Parameter(Mandatory)] [string] $Failure)

    & ((Get-Process -Id $PID).Path) -NoProfile @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$Failure (exit code $LASTEXITCODE)."
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

    $pester = @('-NonInteractive', '-File', (Join-Path (Join-Path $RepoRoot 'tests') 'Invoke-PesterSuite.ps1'), '-ModulePath', $StageDir)
    if ($SkipHelp) {
        $pester += '-SkipHelp'
    }
    Invoke-FreshShell -Arguments $pester -Failure 'The Pester suite failed'

}

function Invoke-DocsTask {
    Assert-Staged
    Import-Module (Join-Path (Join-Path (Join-Path $RepoRoot 'tools') 'HelpBuilder') 'HelpBuilder.psm1') -Force
    $help = Export-ModuleHelp -DocsPath $DocsDir -OutputPath (Join-Path $StageDir 'en-US') -ModuleName $ModuleName -WorkPath (Join-Path $OutRoot 'maml')
    Write-Host "Help written to $($help.OutputPath): $($help.Commands.Count) commands and $($help.AboutTopic)"
}

function Invoke-DemoTask {
    Assert-Staged
    $demo = @('-File', (Join-Path (Join-Path $RepoRoot 'tools') 'Invoke-BulkRevokeDemo.ps1'), '-ModulePath', $StageDir)
    if ($UserId) {
        $demo += @('-UserId', $UserId)
    }
    Invoke-FreshShell -Arguments $demo -Failure 'The bulk revoke demo failed'
}

function Invoke-PackageTask {
    Assert-Staged
    $null = Test-ModuleManifest -Path (Join-Path $StageDir "$ModuleName.psd1") -ErrorAction Stop
    if (-not (Test-Path -LiteralPath (Join-Path (Join-Path $StageDir 'en-US') "$ModuleName.dll-Help.xml"))) {
        throw "The staged module has no help (staged with -SkipHelp?); run ./build.ps1 -Task Build before packaging it."
    }
    Use-BuildModule -Name Microsoft.PowerShell.PSResourceGet -MinimumVersion '1.0.0'
    $packageDir = Join-Path $OutRoot 'package'
    # A package of an earlier version left here would be listed, and perhaps published, as this build's.
    if (Test-Path -LiteralPath $packageDir) {
        Remove-Item -LiteralPath $packageDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $packageDir
    if (Get-Command -Name Compress-PSResource -Module Microsoft.PowerShell.PSResourceGet -ErrorAction SilentlyContinue) {
        # PSResourceGet 1.1+ packs without registering a repository in the user's PSResourceGet settings.
        Compress-PSResource -Path $StageDir -DestinationPath $packageDir
    }
    else {
        $repositoryName = "$ModuleName-local-$PID"
        Register-PSResourceRepository -Name $repositoryName -Uri $packageDir -Trusted
        try {
            Publish-PSResource -Path $StageDir -Repository $repositoryName
        }
        finally {
            Unregister-PSResourceRepository -Name $repositoryName
        }
    }
    $packages = @(Get-ChildItem -LiteralPath $packageDir -Filter '*.nupkg')
    if ($packages.Count -ne 1) {
        throw "PSResourceGet wrote $($packages.Count) packages to ${packageDir}; expected one."
    }
    Write-Host "Package: $($packages[0].FullName)"
}

foreach ($name in $Task) {
    Write-Host "== $name"
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Docs' { if ($Task -notcontains 'Build' -or $SkipHelp) { Invoke-DocsTask } }
        'Package' { Invoke-PackageTask }
        'Demo' { Invoke-DemoTask }
    }
}
