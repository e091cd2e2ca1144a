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
             page PlatyPS cannot read completely.
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
    Use-BuildModule -Name Microsoft.PowerShell.PlatyPS -MinimumVersion '1.0.0' -MaximumVersion '1.99.99'
    $helpDir = Join-Path $StageDir 'en-US'
    if (Test-Path -LiteralPath $helpDir) {
        Remove-Item -LiteralPath $helpDir -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $helpDir

    # Command pages are named Verb-Noun.md; the module page and the about topic are not MAML sources.
    $pages = @(Get-ChildItem -LiteralPath $DocsDir -Filter '*-*.md' | Sort-Object Name)
    if ($pages.Count -eq 0) {
        throw "docs/ holds no command pages (Verb-Noun.md)."
    }
    $commandHelp = @($pages | ForEach-Object { Import-CommandHelpPage -Path $_.FullName })

    $exportDir = Join-Path $OutRoot 'maml'
    if (Test-Path -LiteralPath $exportDir) {
        Remove-Item -LiteralPath $exportDir -Recurse -Force
    }
    # Where under -OutputFolder the file lands differs between PlatyPS 1.0 releases, so it is searched for.
    $null = $commandHelp | Export-MamlCommandHelp -OutputFolder $exportDir -Force
    $maml = @(Get-ChildItem -LiteralPath $exportDir -Filter '*.xml' -Recurse)
    if ($maml.Count -ne 1) {
        throw "PlatyPS wrote $($maml.Count) MAML files to ${exportDir}; expected one."
    }
    # Binary modules find their cmdlet help under the assembly's file name.
    $mamlPath = Join-Path $helpDir "$ModuleName.dll-Help.xml"
    Copy-Item -LiteralPath $maml[0].FullName -Destination $mamlPath
    # Also fails when the MAML lacks one of the pages' commands.
    Set-MamlExample -Path $mamlPath -Page $pages

    $aboutName = "about_$ModuleName"
    $aboutText = ConvertTo-AboutHelpText -Path (Join-Path $DocsDir "$aboutName.md")
    Set-Content -LiteralPath (Join-Path $helpDir "$aboutName.help.txt") -Value $aboutText -Encoding UTF8
    Write-Host "Help written to ${helpDir}: $($pages.Count) commands and $aboutName"
}

function Import-CommandHelpPage {
    param([Parameter(Mandatory)] [string] $Path)

    $probe = Measure-PlatyPSMarkdown -LiteralPath $Path
    if ("$($probe.FileType)" -notmatch '\bCommandHelp\b') {
        throw "PlatyPS does not read $Path as a command page (file type '$($probe.FileType)')."
    }
    if (-not (Test-MarkdownCommandHelp $Path)) {
        $failures = @(Test-MarkdownCommandHelp $Path -DetailView | ForEach-Object { $_.Messages } | Where-Object { "$_" -notmatch '^PASS' })
        throw "PlatyPS rejects the structure of ${Path}: $($failures -join '; ')"
    }

    $help = Import-MarkdownCommandHelp -LiteralPath $Path -ErrorAction Stop
    $diagnostics = if ($help.PSObject.Properties['Diagnostics'] -and $help.Diagnostics) { @($help.Diagnostics.Messages) } else { @() }
    $errors = @($diagnostics | Where-Object { "$($_.Severity)" -eq 'Error' })
    if ($errors.Count -gt 0) {
        throw "PlatyPS reports errors in ${Path}: $(($errors | ForEach-Object { "$($_.Identifier) $($_.Message)" }) -join '; ')"
    }
    # A parameter block PlatyPS cannot read is dropped with a warning only; the help would then lack it.
    $documented = @(Select-String -LiteralPath $Path -Pattern '^### -').Count
    if (@($help.Parameters).Count -ne $documented) {
        throw "PlatyPS read $(@($help.Parameters).Count) of the $documented parameters of $Path."
    }
    $help
}

# PlatyPS 1.0 writes each example's whole markdown body, fences included, as introduction paragraphs that Get-Help
# prints run together (platyPS #792, by design). The examples are rebuilt from the markdown the classic way: the
# PowerShell block as dev:code, then the output block and the remarks as paragraphs.
function Set-MamlExample {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [System.IO.FileInfo[]] $Page)

    $ns = @{
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        maml    = 'http://schemas.microsoft.com/maml/2004/10'
        dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    }
    $xml = New-Object System.Xml.XmlDocument
    $xml.PreserveWhitespace = $true
    $xml.Load($Path)
    $manager = New-Object System.Xml.XmlNamespaceManager($xml.NameTable)
    foreach ($prefix in $ns.Keys) { $manager.AddNamespace($prefix, $ns[$prefix]) }

    foreach ($file in $Page) {
        $name = $file.BaseName
        $command = $xml.SelectSingleNode("//command:command[normalize-space(command:details/command:name)='$name']", $manager)
        if ($null -eq $command) {
            throw "The MAML in $Path has no command $name."
        }
        $examples = $command.SelectSingleNode('command:examples', $manager)
        if ($null -eq $examples) {
            $examples = $command.AppendChild($xml.CreateElement('command', 'examples', $ns.command))
        }
        $examples.RemoveAll()
        foreach ($example in @(Read-MarkdownExample -Path $file.FullName)) {
            $node = $examples.AppendChild($xml.CreateElement('command', 'example', $ns.command))
            $title = $node.AppendChild($xml.CreateElement('maml', 'title', $ns.maml))
            $title.InnerText = "--------- $($example.Title) ---------"
            $code = $node.AppendChild($xml.CreateElement('dev', 'code', $ns.dev))
            $code.InnerText = $example.Code
            $remarks = $node.AppendChild($xml.CreateElement('dev', 'remarks', $ns.dev))
            foreach ($text in $example.Remarks) {
                $para = $remarks.AppendChild($xml.CreateElement('maml', 'para', $ns.maml))
                $para.InnerText = $text
            }
        }
    }
    $xml.Save($Path)
}

# The examples of a command page: title, the first powershell block, then each other block and prose paragraph.
function Read-MarkdownExample {
    param([Parameter(Mandatory)] [string] $Path)

    $lines = @(Get-Content -LiteralPath $Path -Encoding UTF8)
    $start = [Array]::IndexOf($lines, '## EXAMPLES')
    $end = [Array]::IndexOf($lines, '## PARAMETERS')
    if ($start -lt 0 -or $end -lt $start) {
        throw "$Path has no '## EXAMPLES' section before '## PARAMETERS'."
    }

    $example = $null
    $block = $null
    $paragraph = New-Object System.Collections.Generic.List[string]
    $flush = {
        if ($paragraph.Count -gt 0) {
            $example.Remarks.Add(($paragraph -join ' '))
            $paragraph.Clear()
        }
    }
    for ($index = $start + 1; $index -lt $end; $index++) {
        $line = $lines[$index]
        if ($null -ne $block) {
            if ($line -match '^```') {
                $text = $block.Lines -join "`n"
                if ($block.Language -eq 'powershell' -and $null -eq $example.Code) { $example.Code = $text } else { $example.Remarks.Add($text) }
                $block = $null
            }
            else {
                $block.Lines.Add($line)
            }
            continue
        }
        if ($line -match '^### (.+)$') {
            if ($null -ne $example) { . $flush; $example }
            $example = [pscustomobject]@{ Title = $Matches[1].Trim(); Code = $null; Remarks = New-Object System.Collections.Generic.List[string] }
        }
        elseif ($null -eq $example) {
            continue
        }
        elseif ($line -match '^```(.*)$') {
            . $flush
            $block = [pscustomobject]@{ Language = $Matches[1].Trim(); Lines = New-Object System.Collections.Generic.List[string] }
        }
        elseif ($line.Trim() -eq '') {
            . $flush
        }
        else {
            $paragraph.Add((ConvertTo-PlainText -Line $line))
        }
    }
    if ($null -ne $example) { . $flush; $example }
}

# Markdown prose as help text shows it: links as "text (url)", no bold, no code ticks.
function ConvertTo-PlainText {
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Line)

    ($Line -replace '\[([^\]]+)\]\(([^)]+)\)', '$1 ($2)' -replace '\*\*([^*]+)\*\*', '$1' -replace '`', '').Trim()
}

# PlatyPS v1 has no converter for about topics. Get-Help shows about_*.help.txt as it is (and lists its fifth line
# as the synopsis), so the markdown becomes the classic plain-text layout: TOPIC, then upper-case headings with
# indented text and code.
function ConvertTo-AboutHelpText {
    param([Parameter(Mandatory)] [string] $Path)

    $lines = @(Get-Content -LiteralPath $Path -Encoding UTF8)
    $index = 0
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $index = [Array]::IndexOf($lines, '---', 1) + 1
        if ($index -le 0) { throw "${Path}: the front matter is not closed." }
    }

    $text = New-Object System.Collections.Generic.List[string]
    $inCode = $false
    $afterHeading = $false
    $section = ''
    for (; $index -lt $lines.Count; $index++) {
        $line = $lines[$index]
        if ($line -match '^```') {
            $inCode = -not $inCode
            continue
        }
        if ($inCode) {
            $text.Add(('        ' + $line).TrimEnd())
            continue
        }
        if ($afterHeading -and $line.Trim() -eq '') {
            continue
        }
        $afterHeading = $false
        if ($line -match '^# (.+)$') {
            $text.Add('TOPIC')
            $text.Add('    ' + $Matches[1].Trim())
            $afterHeading = $true
        }
        elseif ($line -match '^## (.+)$') {
            $section = $Matches[1].Trim().ToUpperInvariant()
            $text.Add('')
            $text.Add($section)
            $afterHeading = $true
        }
        elseif ($line -match '^### (.+)$') {
            $text.Add('  ' + $Matches[1].Trim().ToUpperInvariant())
            $afterHeading = $true
        }
        elseif ($line.Trim() -eq '') {
            $text.Add('')
        }
        else {
            $plain = ConvertTo-PlainText -Line $line
            # Get-Help lists an about topic with its fifth line alone, so the short description is kept on one line.
            if ($section -eq 'SHORT DESCRIPTION' -and $text[$text.Count - 1] -notin @('', $section)) {
                $text[$text.Count - 1] += ' ' + $plain
            }
            else {
                $text.Add(('    ' + $line.Substring(0, $line.Length - $line.TrimStart().Length) + $plain).TrimEnd())
            }
        }
    }
    if ($text.Count -lt 5 -or $text[0] -ne 'TOPIC' -or $text[3] -ne 'SHORT DESCRIPTION') {
        throw "${Path} must start with '# about_...' followed by '## Short description'."
    }
    $text -join [Environment]::NewLine
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
