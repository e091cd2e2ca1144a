# Turns a module's docs/ (PlatyPS v1 markdown) into the help Get-Help reads: MAML for the cmdlets and a plain-text
# about topic. Imported by build.ps1 (Docs task); tests/HelpBuilder.Tests.ps1 tests it. Works in Windows PowerShell
# 5.1 and PowerShell 7.
#
# PlatyPS 1.0 alone is not enough: it drops what it cannot read with a warning only, writes examples as run-together
# prose, and has no converter for about topics. So each page is checked before it is imported, the examples are
# rebuilt in the MAML from the markdown, and the about topic is converted here.
Set-StrictMode -Version Latest
# A module does not see the caller's preferences: without this a failed copy or read would not stop the build.
$ErrorActionPreference = 'Stop'
. (Join-Path (Split-Path -Parent $PSScriptRoot) 'Use-BuildModule.ps1')

function Export-ModuleHelp {
    <#
    .SYNOPSIS
        Writes a binary module's help folder from its docs: <ModuleName>.dll-Help.xml and about_<ModuleName>.help.txt.
    .DESCRIPTION
        The command pages (Verb-Noun.md in DocsPath) go through PlatyPS 1.x (Import-MarkdownCommandHelp |
        Export-MamlCommandHelp), imported, or installed for the current user, when missing. A page PlatyPS cannot
        read completely fails the call, naming the page. The examples in the MAML are then rebuilt from the markdown:
        the first PowerShell block as the code, every other block and paragraph as remarks. about_<ModuleName>.md
        becomes the classic plain-text about topic (see ConvertTo-AboutHelpText).

        OutputPath is emptied first, so it holds exactly the two files afterwards.
    .PARAMETER DocsPath
        The folder of markdown pages: Verb-Noun.md per command and about_<ModuleName>.md. Other pages (the module
        page) are not read.
    .PARAMETER OutputPath
        The help folder to write, e.g. <module>/en-US.
    .PARAMETER ModuleName
        Names the MAML file (binary modules find their cmdlet help under the assembly's file name) and the about topic.
    .PARAMETER WorkPath
        Where PlatyPS writes its own MAML before the examples are rebuilt; emptied first and left for inspection.
        Default: a temporary folder, removed afterwards.
    .OUTPUTS
        An object with OutputPath, MamlPath, AboutPath, AboutTopic and Commands (the command names, sorted).
    .EXAMPLE
        Export-ModuleHelp -DocsPath ./docs -OutputPath ./out/ClerkSessions/en-US -ModuleName ClerkSessions
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        [Parameter(Mandatory)] [string] $ModuleName,
        [string] $WorkPath
    )

    # Written against PlatyPS 1.0's markdown model and MAML output.
    Use-BuildModule -Name Microsoft.PowerShell.PlatyPS -MinimumVersion '1.0.0' -MaximumVersion '1.99.99'

    if (Test-Path -LiteralPath $OutputPath) {
        Remove-Item -LiteralPath $OutputPath -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $OutputPath

    # Command pages are named Verb-Noun.md; the module page and the about topic are not MAML sources.
    $pages = @(Get-ChildItem -LiteralPath $DocsPath -Filter '*-*.md' | Sort-Object Name)
    if ($pages.Count -eq 0) {
        throw "$DocsPath holds no command pages (Verb-Noun.md)."
    }
    $commandHelp = @($pages | ForEach-Object { Import-CommandHelpPage -Path $_.FullName })

    $temporary = -not $WorkPath
    if ($temporary) {
        $WorkPath = Join-Path ([IO.Path]::GetTempPath()) "HelpBuilder-$([guid]::NewGuid())"
    }
    elseif (Test-Path -LiteralPath $WorkPath) {
        Remove-Item -LiteralPath $WorkPath -Recurse -Force
    }
    try {
        # Where under -OutputFolder the file lands differs between PlatyPS 1.0 releases, so it is searched for.
        $null = $commandHelp | Export-MamlCommandHelp -OutputFolder $WorkPath -Force
        $maml = @(Get-ChildItem -LiteralPath $WorkPath -Filter '*.xml' -Recurse)
        if ($maml.Count -ne 1) {
            throw "PlatyPS wrote $($maml.Count) MAML files to ${WorkPath}; expected one."
        }
        $mamlPath = Join-Path $OutputPath "$ModuleName.dll-Help.xml"
        Copy-Item -LiteralPath $maml[0].FullName -Destination $mamlPath
    }
    finally {
        if ($temporary -and (Test-Path -LiteralPath $WorkPath)) {
            Remove-Item -LiteralPath $WorkPath -Recurse -Force
        }
    }
    # Also fails when the MAML lacks one of the pages' commands.
    Set-MamlExample -Path $mamlPath -Page $pages

    $aboutTopic = "about_$ModuleName"
    $aboutPath = Join-Path $OutputPath "$aboutTopic.help.txt"
    $aboutText = ConvertTo-AboutHelpText -Path (Join-Path $DocsPath "$aboutTopic.md")
    Set-Content -LiteralPath $aboutPath -Value $aboutText -Encoding UTF8

    [pscustomobject]@{
        OutputPath = $OutputPath
        MamlPath   = $mamlPath
        AboutPath  = $aboutPath
        AboutTopic = $aboutTopic
        Commands   = @($pages | ForEach-Object { $_.BaseName })
    }
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        Converts an about_*.md page into the text of an about_*.help.txt file.
    .DESCRIPTION
        PlatyPS v1 has no converter for about topics. Get-Help shows about_*.help.txt as it is (and lists its fifth
        line as the synopsis), so the markdown becomes the classic plain-text layout: TOPIC and the name, then
        upper-case headings with the text indented by four and code by eight, fences and front matter dropped, links
        as "text (url)", no bold and no code ticks. The short description is kept on one line.

        Fails, naming the page, when its front matter is not closed or it does not start with '# about_...' followed
        by '## Short description'.
    .PARAMETER Path
        The about_*.md page.
    .OUTPUTS
        The text, lines joined with the platform's newline, without a final newline.
    .EXAMPLE
        ConvertTo-AboutHelpText -Path ./docs/about_ClerkSessions.md | Set-Content ./en-US/about_ClerkSessions.help.txt
    #>
    [CmdletBinding()]
    [OutputType([string])]
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

# What PlatyPS 1.0 reads of a command page, failing on anything it would leave out.
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

    try {
        $help = Import-MarkdownCommandHelp -LiteralPath $Path -ErrorAction Stop
    }
    catch {
        # On a parameter block without its yaml PlatyPS throws a bare IndexOutOfRange or NullReference exception.
        throw "PlatyPS cannot import ${Path}: $($_.Exception.Message)"
    }
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
            if ($line -match '^```\s*$') {
                $text = $block.Lines -join "`n"
                if ($block.Language -eq 'powershell' -and $null -eq $example.Code) { $example.Code = $text } else { $example.Remarks.Add($text) }
                $block = $null
            }
            elseif ($line -match '^```') {
                # A fence with a language never closes a block: the one before was left open, and PlatyPS would take
                # the following examples for its text without a word.
                throw "${Path}: a code block of '$($example.Title)' is not closed before line $($index + 1)."
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

Export-ModuleMember -Function Export-ModuleHelp, ConvertTo-AboutHelpText
