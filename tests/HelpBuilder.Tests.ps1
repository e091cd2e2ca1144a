#Requires -Version 5.1
# Pester 5: tools/HelpBuilder, the help step of build.ps1, fed small pages of a made-up module (Widgets) in TestDrive.
# It needs no staged module; the help of the real one is tested by the 'Help' tests of ClerkSessions.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path (Join-Path (Join-Path (Split-Path -Parent $PSScriptRoot) 'tools') 'HelpBuilder') 'HelpBuilder.psm1') -Force

    $commandPage = @'
---
document type: cmdlet
external help file: Widgets.dll-Help.xml
HelpUri: ''
Locale: en-US
Module Name: Widgets
ms.date: 11/30/2026
PlatyPS schema version: 2024-05-01
title: Get-Widget
---

# Get-Widget

## SYNOPSIS

Gets widgets.

## SYNTAX

### __AllParameterSets

```
Get-Widget [-Name <string>] [<CommonParameters>]
```

## ALIASES

This cmdlet has no aliases.

## DESCRIPTION

Gets the widgets.

## EXAMPLES

### Example 1 - Get one widget

```powershell
Get-Widget -Name cog |
    Format-List
```

```Output
Name : cog
Size : 3
```

Gets the **Name** widget, see
[about_Widgets](about_Widgets.md) and `Get-Help`.

### Example 2 - Two blocks

```powershell
Get-Widget
```

```powershell
Get-Widget -Name gear
```

## PARAMETERS

### -Name

The widget's name.

```yaml
Type: System.String
DefaultValue: None
SupportsWildcards: false
ParameterValue: []
Aliases: []
ParameterSets:
- Name: (All)
  Position: Named
  IsRequired: false
  ValueFromPipeline: false
  ValueFromPipelineByPropertyName: false
  ValueFromRemainingArguments: false
DontShow: false
AcceptedValues: []
HelpMessage: ''
```

### CommonParameters

This cmdlet supports the common parameters.

## INPUTS

### None

## OUTPUTS

### System.String

A widget.

## NOTES

## RELATED LINKS
'@

    # <spaces> become trailing spaces, which the topic drops.
    $aboutPage = (@'
---
description: Widgets.
title: about_Widgets
---
# about_Widgets

## Short description

Widgets, written
on two lines.

## Long description

Use **Get-Widget** with `-Name`, see [the site](https://example.test/w).

- a list item
  continued

### Getting one

```powershell
Get-Widget -Name cog<spaces>
    Format-List
```
'@).Replace('<spaces>', '   ')

    # A docs folder in TestDrive holding the given pages (name = markdown); returns its path.
    function New-Docs {
        param([hashtable] $Pages)
        $path = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $path
        foreach ($name in $Pages.Keys) {
            Set-Content -LiteralPath (Join-Path $path $name) -Value $Pages[$name] -Encoding UTF8
        }
        $path
    }

    function Get-MamlCommand {
        param([string] $Path, [string] $Name)
        $namespace = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10' }
        @(Select-Xml -LiteralPath $Path -Namespace $namespace -XPath "//command:command[normalize-space(command:details/command:name)='$Name']" |
            ForEach-Object { $_.Node })
    }
}

AfterAll {
    Remove-Module HelpBuilder -ErrorAction SilentlyContinue
}

Describe 'HelpBuilder' {
    It 'exports only Export-ModuleHelp and ConvertTo-AboutHelpText' {
        @((Get-Module HelpBuilder).ExportedCommands.Keys | Sort-Object) | Should -Be @('ConvertTo-AboutHelpText', 'Export-ModuleHelp')
    }
}

Describe 'ConvertTo-AboutHelpText' {
    It 'lays an about page out as Get-Help shows it: TOPIC, upper-case headings, text by four, code by eight, plain prose' {
        $docs = New-Docs @{ 'about_Widgets.md' = $aboutPage }
        $expected = @(
            'TOPIC'
            '    about_Widgets'
            ''
            'SHORT DESCRIPTION'
            '    Widgets, written on two lines.'
            ''
            ''
            'LONG DESCRIPTION'
            '    Use Get-Widget with -Name, see the site (https://example.test/w).'
            ''
            '    - a list item'
            '      continued'
            ''
            '  GETTING ONE'
            '        Get-Widget -Name cog'
            '            Format-List'
        ) -join [Environment]::NewLine

        ConvertTo-AboutHelpText -Path (Join-Path $docs 'about_Widgets.md') | Should -BeExactly $expected
    }

    It 'keeps a short description of several lines on the fifth line, the one Get-Help lists' {
        $docs = New-Docs @{ 'about_Widgets.md' = $aboutPage }
        $lines = (ConvertTo-AboutHelpText -Path (Join-Path $docs 'about_Widgets.md')) -split [regex]::Escape([Environment]::NewLine)
        $lines[4] | Should -BeExactly '    Widgets, written on two lines.'
        $lines[5] | Should -BeExactly ''
    }

    It 'fails naming the page when its front matter is not closed' {
        $docs = New-Docs @{ 'about_Widgets.md' = ($aboutPage -replace '(?m)^---\r?\n# about', '# about') }
        { ConvertTo-AboutHelpText -Path (Join-Path $docs 'about_Widgets.md') } |
            Should -Throw -ExpectedMessage '*about_Widgets.md: the front matter is not closed.'
    }

    It 'fails naming the page when it does not start with the topic and its short description' {
        $docs = New-Docs @{ 'about_Widgets.md' = ($aboutPage -replace '## Short description', '## Summary') }
        { ConvertTo-AboutHelpText -Path (Join-Path $docs 'about_Widgets.md') } |
            Should -Throw -ExpectedMessage "*about_Widgets.md must start with '# about_...' followed by '## Short description'."
    }
}

# PlatyPS is needed here; a module staged without help (build.ps1 -SkipHelp) may be on a machine without it.
Describe 'Export-ModuleHelp' -Skip:($env:CLERKSESSIONS_SKIP_HELP -eq 'true') {
    BeforeAll {
        $docs = New-Docs @{ 'Get-Widget.md' = $commandPage; 'about_Widgets.md' = $aboutPage; 'Widgets.md' = '# Widgets module page, not a command' }
        $output = Join-Path $TestDrive 'en-US'
        $null = New-Item -ItemType Directory -Path $output
        Set-Content -LiteralPath (Join-Path $output 'stale.txt') -Value 'from an earlier build'
        $work = Join-Path $TestDrive 'maml'
        $help = Export-ModuleHelp -DocsPath $docs -OutputPath $output -ModuleName Widgets -WorkPath $work
        $command = @(Get-MamlCommand -Path (Join-Path $output 'Widgets.dll-Help.xml') -Name 'Get-Widget')
    }

    It 'writes exactly the MAML under the assembly name and the about topic, emptying the folder first' {
        @(Get-ChildItem -LiteralPath $output | ForEach-Object { $_.Name } | Sort-Object) |
            Should -Be @('about_Widgets.help.txt', 'Widgets.dll-Help.xml')
        $help.MamlPath | Should -Be (Join-Path $output 'Widgets.dll-Help.xml')
        $help.AboutPath | Should -Be (Join-Path $output 'about_Widgets.help.txt')
        $help.AboutTopic | Should -Be 'about_Widgets'
        @($help.Commands) | Should -Be @('Get-Widget')
    }

    It 'writes the about topic as ConvertTo-AboutHelpText gives it' {
        Get-Content -Raw -LiteralPath $help.AboutPath |
            Should -BeExactly ((ConvertTo-AboutHelpText -Path (Join-Path $docs 'about_Widgets.md')) + [Environment]::NewLine)
    }

    It 'keeps what PlatyPS read of the page: synopsis, description and parameter' {
        $command.Count | Should -Be 1
        $command[0].details.description.para | Should -Be 'Gets widgets.'
        $command[0].parameters.parameter.name | Should -Be 'Name'
        $command[0].parameters.parameter.description.para | Should -Be "The widget's name."
    }

    It 'rebuilds each example as its first PowerShell block for code, then the other blocks and the prose as remarks' {
        $examples = @($command[0].examples.example)
        $examples.Count | Should -Be 2

        $examples[0].title | Should -BeExactly '--------- Example 1 - Get one widget ---------'
        $examples[0].code | Should -BeExactly "Get-Widget -Name cog |`n    Format-List"
        @($examples[0].remarks.para) | Should -Be @(
            "Name : cog`nSize : 3"
            'Gets the Name widget, see about_Widgets (about_Widgets.md) and Get-Help.'
        )

        $examples[1].title | Should -BeExactly '--------- Example 2 - Two blocks ---------'
        $examples[1].code | Should -BeExactly 'Get-Widget'
        @($examples[1].remarks.para) | Should -Be @('Get-Widget -Name gear')
    }

    It 'leaves no markdown fence in the MAML (PlatyPS alone writes the examples fences and all)' {
        Get-Content -Raw -LiteralPath $help.MamlPath | Should -Not -Match '```'
        @(Get-ChildItem -LiteralPath $work -Filter '*.xml' -Recurse).Count | Should -Be 1
        Get-Content -Raw -LiteralPath (Get-ChildItem -LiteralPath $work -Filter '*.xml' -Recurse).FullName | Should -Match '```'
    }

    It 'writes the same MAML without -WorkPath, and leaves no temporary folder behind' {
        $temp = [IO.Path]::GetTempPath()
        $before = @(Get-ChildItem -LiteralPath $temp -Filter 'HelpBuilder-*' -ErrorAction SilentlyContinue).Count
        $again = Export-ModuleHelp -DocsPath $docs -OutputPath (Join-Path $TestDrive 'again') -ModuleName Widgets
        Get-Content -Raw -LiteralPath $again.MamlPath | Should -BeExactly (Get-Content -Raw -LiteralPath $help.MamlPath)
        @(Get-ChildItem -LiteralPath $temp -Filter 'HelpBuilder-*' -ErrorAction SilentlyContinue).Count | Should -Be $before
    }

    Context 'fails, naming the page, on what the help would lose' {
        It 'fails on <Case>' -ForEach @(
            @{ Case = 'a page PlatyPS does not take for a command page'
                Page = "# Get-Widget`n`nJust text.`n"
                Message = 'PlatyPS does not read *Get-Widget.md as a command page*' }
            @{ Case = 'a page without its EXAMPLES section'
                Page = { $commandPage -replace '## EXAMPLES', '## SAMPLES' }
                Message = 'PlatyPS rejects the structure of *Get-Widget.md: *EXAMPLES not found*' }
            @{ Case = 'the last example with its fence never closed (PlatyPS misses PARAMETERS)'
                Page = { $commandPage -replace '(?m)^Get-Widget -Name gear\r?\n```', 'Get-Widget -Name gear' }
                Message = 'PlatyPS rejects the structure of *Get-Widget.md: *PARAMETERS not found*' }
            @{ Case = 'an earlier example with its fence never closed (PlatyPS takes the next example for its text)'
                Page = { $commandPage -replace '(?m)^Size : 3\r?\n```', 'Size : 3' }
                Message = "*Get-Widget.md: a code block of 'Example 1 - Get one widget' is not closed before line 52." }
            @{ Case = 'a parameter whose yaml does not parse'
                Page = { $commandPage -replace 'Type: System.String', '  Type: System.String' }
                Message = 'PlatyPS reports errors in *Get-Widget.md:*' }
            @{ Case = 'a parameter without its yaml block'
                Page = { $commandPage -replace '```yaml', '```text' }
                Message = 'PlatyPS cannot import *Get-Widget.md:*' }
            @{ Case = 'a parameter heading PlatyPS does not read as a parameter'
                Page = { $commandPage -replace '## NOTES', "## NOTES`n`n### -Stray`n`nOutside PARAMETERS.`n" }
                Message = 'PlatyPS read 1 of the 2 parameters of *Get-Widget.md.' }
            @{ Case = 'a page whose title is not its file name'
                Page = { $commandPage -replace 'title: Get-Widget', 'title: Get-Gadget' -replace '# Get-Widget', '# Get-Gadget' }
                Message = 'The MAML in *Widgets.dll-Help.xml has no command Get-Widget.' }
        ) {
            $text = if ($Page -is [scriptblock]) { & $Page } else { $Page }
            $text | Should -Not -BeExactly $commandPage
            $failing = New-Docs @{ 'Get-Widget.md' = $text; 'about_Widgets.md' = $aboutPage }
            { Export-ModuleHelp -DocsPath $failing -OutputPath (Join-Path $failing 'en-US') -ModuleName Widgets -WarningAction SilentlyContinue } |
                Should -Throw -ExpectedMessage $Message
        }

        It 'fails on a folder without command pages' {
            $empty = New-Docs @{ 'about_Widgets.md' = $aboutPage }
            { Export-ModuleHelp -DocsPath $empty -OutputPath (Join-Path $empty 'en-US') -ModuleName Widgets } |
                Should -Throw -ExpectedMessage '*holds no command pages (Verb-Noun.md).'
        }

        It 'fails when the about topic is missing' {
            $noAbout = New-Docs @{ 'Get-Widget.md' = $commandPage }
            { Export-ModuleHelp -DocsPath $noAbout -OutputPath (Join-Path $noAbout 'en-US') -ModuleName Widgets } |
                Should -Throw -ExpectedMessage '*about_Widgets.md*'
        }
    }
}
