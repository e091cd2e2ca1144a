@{
    RootModule             = 'ClerkSessions.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '3a594cce-851f-4d66-9ecc-95acb3d8179f'
    Author                 = 'ClerkSessions contributors'
    CompanyName            = 'ClerkSessions contributors'
    Copyright              = '(c) ClerkSessions contributors. All rights reserved.'
    Description            = 'Manage Clerk sessions from PowerShell: list, inspect, revoke in bulk, create session tokens, and verify session tokens without a network call.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    # Explicit lists, never wildcards: PowerShell then knows the commands without loading the assembly.
    # The cmdlets are added here as they are written.
    CmdletsToExport        = @()
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()

    PrivateData            = @{
        PSData = @{
            Tags         = @('Clerk', 'Sessions', 'Authentication', 'Security', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'Foundation: the core client for every Clerk Sessions operation.'
        }
    }
}
