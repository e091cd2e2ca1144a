# Runs in a fresh pwsh (assemblies, once loaded, stay for the life of a process): imports the neighbour module and
# ClerkSessions in the order given, uses each, then the first again, and writes as JSON what each ran with.
param(
    [Parameter(Mandatory)] [string] $ClerkSessions,
    [Parameter(Mandatory)] [string] $Neighbour,
    [Parameter(Mandatory)] [ValidateSet('NeighbourFirst', 'ClerkSessionsFirst')] [string] $Order,
    # An emulator the calling process serves, so that this one imports nothing before the order says so.
    [Parameter(Mandatory)] [string] $ApiUrl,
    [Parameter(Mandatory)] [string] $SecretKey,
    # Separated by semicolons: pwsh -File would make a comma-separated list an array.
    [Parameter(Mandatory)] [string] $UserIds
)
$ErrorActionPreference = 'Stop'

function Invoke-Neighbour {
    Import-Module $Neighbour
    Invoke-NeighbourRequest -Uri ($ApiUrl.TrimEnd('/') + '/sessions')
}

function Invoke-BulkRevoke {
    Import-Module $ClerkSessions
    $key = ConvertTo-SecureString -String $SecretKey -AsPlainText -Force
    $connection = Connect-Clerk -ApiUrl $ApiUrl -SecretKey $key -PassThru
    $users = $UserIds -split ';' | ForEach-Object { [pscustomobject]@{ UserId = $_ } }
    @($users | Get-ClerkSession -Status active -Connection $connection | Revoke-ClerkSession -Force -Connection $connection).Count
}

$result = [ordered]@{}
if ($Order -eq 'NeighbourFirst') {
    $result.NeighbourBefore = Invoke-Neighbour
    $result.Revoked = Invoke-BulkRevoke
    $result.NeighbourAfter = Invoke-Neighbour
}
else {
    $result.Revoked = Invoke-BulkRevoke
    $result.NeighbourAfter = Invoke-Neighbour
}

# Every copy of the libraries both modules use, with the load context that holds it.
$result.Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() |
    Where-Object { $_.GetName().Name -match '^(Microsoft\.Extensions\.|System\.Text\.Json$|System\.Threading\.RateLimiting$|ClerkSessions)' } |
    ForEach-Object {
        [pscustomobject]@{
            Name     = $_.GetName().Name
            Version  = $_.GetName().Version.ToString()
            Location = $_.Location
            Context  = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
        }
    })
$result | ConvertTo-Json -Depth 5
