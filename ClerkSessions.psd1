@{
    RootModule             = 'ClerkSessions.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '3a594cce-851f-4d66-9ecc-95acb3d8179f'
    Author                 = 'ClerkSessions contributors'
    CompanyName            = 'ClerkSessions contributors'
    Copyright              = '(c) ClerkSessions contributors. All rights reserved.'
    Description            = 'Manage Clerk sessions from PowerShell: list, inspect, create, refresh and revoke in bulk, create session tokens and verify them locally, over Clerk''s Backend API.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess       = @('ClerkSessions.Format.ps1xml')
    TypesToProcess         = @('ClerkSessions.Types.ps1xml')

    # Explicit lists, never wildcards: PowerShell then knows the commands without loading the assembly.
    CmdletsToExport        = @(
        'Add-ClerkEmulatorFault'
        'Connect-Clerk'
        'Disconnect-Clerk'
        'Get-ClerkConnection'
        'Get-ClerkEmulator'
        'Get-ClerkEmulatorRequest'
        'Get-ClerkSession'
        'New-ClerkSession'
        'New-ClerkSessionToken'
        'Reset-ClerkEmulator'
        'Revoke-ClerkSession'
        'Set-ClerkEmulator'
        'Start-ClerkEmulator'
        'Stop-ClerkEmulator'
        'Test-ClerkSession'
        'Test-ClerkSessionToken'
        'Update-ClerkSession'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()

    PrivateData            = @{
        PSData = @{
            Tags         = @('Clerk', 'Sessions', 'Authentication', 'Security', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/clerksessions/ClerkSessions'
            LicenseUri   = 'https://github.com/clerksessions/ClerkSessions/blob/main/LICENSE'
            ReleaseNotes = 'First cmdlets: Connect-Clerk, Get-ClerkConnection, Disconnect-Clerk (one connection per runspace; -Connection on every cmdlet that calls Clerk), Get-ClerkSession (paged), New-ClerkSession, Update-ClerkSession (refresh), Revoke-ClerkSession (bulk from any pipeline: sessions, ids, Import-Csv/Import-Clixml rows; -WhatIf/-Confirm/-Force), New-ClerkSessionToken, Test-ClerkSession (sessions by id), Test-ClerkSessionToken (session tokens verified locally against the JWKS or a PEM key); an emulated Clerk instance in the module for scripts and Pester tests without a Clerk account (Start-ClerkEmulator, piped to Connect-Clerk; Stop/Get/Set/Reset-ClerkEmulator, Add-ClerkEmulatorFault, Get-ClerkEmulatorRequest); help for Get-Help and about_ClerkSessions.'
        }
    }
}
