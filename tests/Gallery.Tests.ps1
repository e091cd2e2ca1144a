#Requires -Version 5.1
# What a PowerShell Gallery user does, against a local folder repository: the .nupkg that `build.ps1 -Task Package`
# writes is put in the repository (the staged module is published with Publish-PSResource when it is not the one
# build.ps1 packages, or has no help), then a fresh pwsh whose user scope is a temporary folder registers the repository, installs the
# module with Install-PSResource -Scope CurrentUser, imports it by name, calls Clerk (the recorded-response server)
# and reads the help. Run it with tests/Invoke-PesterSuite.ps1, which sets the CLERKSESSIONS_* variables.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    # Set first, so that AfterAll can clean up whatever a failing BeforeAll got to.
    $root = $null
    $server = $null

    $skipReason = $null
    $psResourceGet = @(Get-Module -ListAvailable -Name Microsoft.PowerShell.PSResourceGet | Sort-Object Version -Descending)
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and $IsLinux)) {
        # On Windows the CurrentUser module folder is the Documents known folder, which no environment variable moves;
        # on macOS .NET puts PSResourceGet's repository store under ~/Library, which this test has not been run with.
        $skipReason = 'the temporary user scope (HOME and XDG_* variables) is made for PowerShell 7 on Linux only'
    }
    elseif ($psResourceGet.Count -eq 0) {
        $skipReason = 'Microsoft.PowerShell.PSResourceGet is not installed'
    }
    if ($skipReason) {
        return
    }

    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1')
    $version = $manifest.ModuleVersion
    $hasHelp = Test-Path -LiteralPath (Join-Path $env:CLERKSESSIONS_MODULE_PATH 'en-US')
    $docs = Join-Path (Split-Path -Parent $PSScriptRoot) 'docs'
    $root = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-gallery-{0}" -f [guid]::NewGuid())
    $repository = Join-Path $root 'repository'
    $publisherHome = Join-Path $root 'publisher'
    $userHome = Join-Path $root 'user'
    foreach ($folder in $repository, $publisherHome, $userHome) {
        $null = New-Item -ItemType Directory -Path $folder
    }
    $userModules = Join-Path $userHome '.local/share/powershell/Modules'
    $userRepositoryStore = Join-Path $userHome '.local/share/PSResourceGet/PSResourceRepository.xml'
    $resultFile = Join-Path $root 'result.json'

    $server = Start-RecordedServer

    # Runs $Script in a new pwsh whose HOME is $UserScope. PowerShell's CurrentUser module folder is
    # $XDG_DATA_HOME/powershell/Modules; PSResourceGet installs into $HOME/.local/share/powershell/Modules, keeps its
    # repositories in .NET's LocalApplicationData ($XDG_DATA_HOME)/PSResourceGet and writes a NuGet.Config into
    # ApplicationData ($XDG_CONFIG_HOME). So XDG_DATA_HOME is $HOME/.local/share, and the folders are created: for a
    # missing one .NET returns an empty path, and the files land in the working directory.
    function Invoke-UserScopePwsh {
        param([string] $UserScope, [string] $Script, [hashtable] $Variables = @{})

        foreach ($folder in '.local/share', '.config', '.cache') {
            $null = New-Item -ItemType Directory -Path (Join-Path $UserScope $folder) -Force
        }
        $environment = @{
            HOME            = $UserScope
            XDG_DATA_HOME   = Join-Path $UserScope '.local/share'
            XDG_CONFIG_HOME = Join-Path $UserScope '.config'
            XDG_CACHE_HOME  = Join-Path $UserScope '.cache'
            # This process's PSModulePath names this user's module folder; the child builds its own from the above.
            PSModulePath    = $null
        }
        foreach ($name in $Variables.Keys) {
            $environment[$name] = $Variables[$name]
        }

        $run = Invoke-ChildPwsh -Script $Script -Environment $environment -WorkingDirectory $UserScope -NonInteractive
        if ($run.ExitCode -ne 0) {
            throw "pwsh exited with $($run.ExitCode): $($run.Errors) $($run.Output)"
        }
    }

    $baseUrl = $server.BaseUrl

    $variables = @{
        CLERKSESSIONS_GALLERY_PSRESOURCEGET = $psResourceGet[0].Path
        CLERKSESSIONS_GALLERY_REPOSITORY    = $repository
        CLERKSESSIONS_GALLERY_MODULE        = $env:CLERKSESSIONS_MODULE_PATH
        CLERKSESSIONS_GALLERY_API_URL       = $baseUrl
        CLERKSESSIONS_GALLERY_RESULT        = $resultFile
    }

    # The publisher has a scope of its own, so that the user's repository store starts as a new user's does.
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $buildStage = Join-Path (Join-Path $repoRoot 'out') 'ClerkSessions'
    $packagedByBuild = $hasHelp -and (Test-Path -LiteralPath $buildStage) -and
        ((Resolve-Path -LiteralPath $env:CLERKSESSIONS_MODULE_PATH).Path -eq (Resolve-Path -LiteralPath $buildStage).Path)
    if ($packagedByBuild) {
        $variables.CLERKSESSIONS_GALLERY_BUILD = Join-Path $repoRoot 'build.ps1'
        Invoke-UserScopePwsh -UserScope $publisherHome -Variables $variables -Script @'
$ErrorActionPreference = 'Stop'
& $env:CLERKSESSIONS_GALLERY_BUILD -Task Package
$package = Join-Path (Join-Path (Split-Path -Parent $env:CLERKSESSIONS_GALLERY_BUILD) 'out') 'package'
Copy-Item -Path (Join-Path $package '*.nupkg') -Destination $env:CLERKSESSIONS_GALLERY_REPOSITORY
'@
    }
    else {
        Invoke-UserScopePwsh -UserScope $publisherHome -Variables $variables -Script @'
$ErrorActionPreference = 'Stop'
Import-Module -Name $env:CLERKSESSIONS_GALLERY_PSRESOURCEGET
Register-PSResourceRepository -Name ClerkSessionsTest -Uri $env:CLERKSESSIONS_GALLERY_REPOSITORY -Trusted
Publish-PSResource -Path $env:CLERKSESSIONS_GALLERY_MODULE -Repository ClerkSessionsTest
'@
    }

    Invoke-UserScopePwsh -UserScope $userHome -Variables $variables -Script @'
$ErrorActionPreference = 'Stop'
$result = [ordered]@{}
Import-Module -Name $env:CLERKSESSIONS_GALLERY_PSRESOURCEGET
$result.ModulePath = @($env:PSModulePath -split [IO.Path]::PathSeparator)
$result.AvailableBeforeInstall = @(Get-Module -ListAvailable -Name ClerkSessions | ForEach-Object { $_.ModuleBase })

Register-PSResourceRepository -Name LocalGallery -Uri $env:CLERKSESSIONS_GALLERY_REPOSITORY -Trusted
$result.Repositories = @(Get-PSResourceRepository | ForEach-Object { $_.Name })
Install-PSResource -Name ClerkSessions -Repository LocalGallery -Scope CurrentUser
$result.Installed = @(Get-InstalledPSResource -Name ClerkSessions -Scope CurrentUser | ForEach-Object {
    [ordered]@{ Version = "$($_.Version)"; Location = $_.InstalledLocation; Repository = $_.Repository } })

Import-Module -Name ClerkSessions
$module = Get-Module -Name ClerkSessions
$result.ModuleBase = $module.ModuleBase
$result.ModuleVersion = "$($module.Version)"
$result.InstalledFiles = @(Get-ChildItem -LiteralPath $module.ModuleBase -Recurse -File | ForEach-Object { $_.FullName.Substring($module.ModuleBase.Length + 1).Replace('\', '/') })
$result.Commands = @(Get-Command -Module ClerkSessions | ForEach-Object { "$($_.CommandType) $($_.Name)" })

Connect-Clerk -SecretKey (ConvertTo-SecureString -String 'sk_test_recorded0000wxyz' -AsPlainText -Force) -ApiUrl $env:CLERKSESSIONS_GALLERY_API_URL -MaxRetries 0
$session = Get-ClerkSession -SessionId sess_active_0001
$result.Session = [ordered]@{ Id = $session.Id; UserId = $session.UserId; Status = $session.Status; Assembly = $session.GetType().Assembly.Location }
$result.Table = $session | Out-String -Width 80

$result.HelpExamples = @((Get-Help -Name Revoke-ClerkSession -Examples).examples.example | ForEach-Object {
    [ordered]@{ Title = "$($_.title)"; Code = "$($_.code)" } })
$result.HelpText = Get-Help -Name Revoke-ClerkSession -Examples | Out-String -Width 200
$result | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $env:CLERKSESSIONS_GALLERY_RESULT -Encoding UTF8
'@

    $result = Get-Content -Raw -LiteralPath $resultFile | ConvertFrom-Json
    $requests = @(Get-RecordedRequest -Server $server)
}

AfterAll {
    Stop-RecordedServer $server
    if ($root -and (Test-Path -LiteralPath $root)) {
        Remove-Item -LiteralPath $root -Recurse -Force
    }
}

Describe 'Installing from a PowerShell Gallery repository' {
    BeforeEach {
        if ($skipReason) {
            Set-ItResult -Skipped -Because $skipReason
        }
    }

    It 'publishes the staged module as a .nupkg of the manifest''s version' {
        @(Get-ChildItem -LiteralPath $repository | ForEach-Object { $_.Name }) | Should -Be @("ClerkSessions.$version.nupkg")
    }

    It 'installs the package that build.ps1 -Task Package writes, help included' {
        if (-not $packagedByBuild) {
            Set-ItResult -Skipped -Because 'the module under test is not the one build.ps1 stages in out/ClerkSessions, or has no help'
        }
        $result.InstalledFiles | Should -Contain 'en-US/ClerkSessions.dll-Help.xml'
        $result.InstalledFiles | Should -Contain 'ClerkSessions.Format.ps1xml'
    }

    It 'installs it for the current user into the temporary scope, from a repository store of that scope' {
        $result.AvailableBeforeInstall | Should -BeNullOrEmpty
        $result.Repositories | Sort-Object | Should -Be @('LocalGallery', 'PSGallery')
        $userRepositoryStore | Should -FileContentMatch 'LocalGallery'
        $result.ModulePath[0] | Should -Be $userModules
        @($result.Installed).Count | Should -Be 1
        $result.Installed[0].Version | Should -Be $version
        $result.Installed[0].Repository | Should -Be 'LocalGallery'
        $result.Installed[0].Location | Should -Be $userModules
        Join-Path $userModules "ClerkSessions/$version/ClerkSessions.psd1" | Should -Exist
        # The scope is also the working directory: nothing was written relative to it.
        @(Get-ChildItem -LiteralPath $userHome -Force | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('.cache', '.config', '.local')
    }

    It 'imports it by name from the installed folder with the manifest''s cmdlets' {
        $result.ModuleBase | Should -Be (Join-Path $userModules "ClerkSessions/$version")
        $result.ModuleVersion | Should -Be $version
        $result.Session.Assembly | Should -BeLike (Join-Path $result.ModuleBase '*')
        $result.Commands | Sort-Object | Should -Be @($manifest.CmdletsToExport | Sort-Object | ForEach-Object { "Cmdlet $_" })
    }

    It 'gets a session from Clerk and shows it in the module''s table view' {
        $result.Session.Id | Should -Be 'sess_active_0001'
        $result.Session.UserId | Should -Be 'user_0001'
        $result.Session.Status | Should -Be 'active'
        $get = @($requests | Where-Object { $_.method -eq 'GET' -and $_.path -eq '/v1/sessions/sess_active_0001' })
        $get.Count | Should -Be 1
        $get[0].headers.Authorization | Should -Be 'Bearer sk_test_recorded0000wxyz'
        $table = $result.Table -replace "$([char]27)\[[0-9;]*m", ''
        $table | Should -Match '(?m)^\s+UserId: user_0001\s*$'
        $table | Should -Match '(?m)^sess_active_0001\s+active\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s*$'
    }

    It 'shows the examples of Revoke-ClerkSession''s docs page in Get-Help -Examples' {
        if (-not $hasHelp) {
            Set-ItResult -Skipped -Because 'the staged module has no help (build.ps1 -SkipHelp)'
        }
        $page = Get-Content -LiteralPath (Join-Path $docs 'Revoke-ClerkSession.md')
        $titles = @($page | Where-Object { $_ -match '^### Example ' } | ForEach-Object { $_.Substring(4).Trim() })
        $titles.Count | Should -BeGreaterOrEqual 2
        @($result.HelpExamples | ForEach-Object { $_.Title -replace '^-+ | -+$', '' }) | Should -Be $titles
        $firstCode = $page[[Array]::IndexOf($page, '```powershell') + 1]
        $result.HelpExamples[0].Code.Trim() | Should -Be $firstCode
        $text = $result.HelpText -replace "$([char]27)\[[0-9;]*m", ''
        $text | Should -Match ([regex]::Escape($titles[0]))
        $text | Should -Match ([regex]::Escape($firstCode))
        $text | Should -Not -Match '```'
    }
}
