# Dot-sourced by build.ps1, tests/Invoke-PesterSuite.ps1 and tools/HelpBuilder.
# Works in Windows PowerShell 5.1 and PowerShell 7.
Set-StrictMode -Version Latest

function Use-BuildModule {
    <#
    .SYNOPSIS
        Imports a build-time module (Pester, PlatyPS, PSResourceGet), installing it for the current user only when no
        installed version is in range.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [version] $MinimumVersion,
        [version] $MaximumVersion
    )

    $inRange = {
        param($module)
        $module.Version -ge $MinimumVersion -and ($null -eq $MaximumVersion -or $module.Version -le $MaximumVersion)
    }

    $installed = @(Get-Module -ListAvailable -Name $Name | Where-Object { & $inRange $_ } | Sort-Object Version -Descending)
    if ($installed.Count -eq 0) {
        $range = if ($MaximumVersion) { "$MinimumVersion to $MaximumVersion" } else { "$MinimumVersion or later" }
        Write-Host "Installing $Name $range for the current user (no installed version is in range)."
        if (Get-Command -Name Install-PSResource -ErrorAction SilentlyContinue) {
            $version = if ($MaximumVersion) { "[$MinimumVersion,$MaximumVersion]" } else { "[$MinimumVersion,)" }
            Install-PSResource -Name $Name -Version $version -Scope CurrentUser -TrustRepository -Quiet
        }
        else {
            # Windows PowerShell 5.1 without PSResourceGet: PowerShellGet's Install-Module, TLS 1.2 for the Gallery.
            [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
            $install = @{ Name = $Name; MinimumVersion = $MinimumVersion; Scope = 'CurrentUser'; Force = $true; AllowClobber = $true }
            if ($MaximumVersion) { $install.MaximumVersion = $MaximumVersion }
            # The Pester 3 that ships with Windows is signed by another publisher; without this the install is refused.
            if ((Get-Command -Name Install-Module).Parameters.ContainsKey('SkipPublisherCheck')) { $install.SkipPublisherCheck = $true }
            Install-Module @install
        }

        $installed = @(Get-Module -ListAvailable -Name $Name | Where-Object { & $inRange $_ } | Sort-Object Version -Descending)
        if ($installed.Count -eq 0) {
            throw "$Name $MinimumVersion or later could not be installed."
        }
    }

    Import-Module -Name $installed[0].Path -Force -Global -ErrorAction Stop
    Write-Verbose "Using $Name $($installed[0].Version) from $($installed[0].ModuleBase)"
}
