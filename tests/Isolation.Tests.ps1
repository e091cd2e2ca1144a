#Requires -Version 5.1
# The module beside another that ships its own Microsoft.Extensions.* and System.Text.Json, as Az-style modules do:
# tests/NeighbourModule is built here twice (older and newer libraries than ClerkSessions ships) and each is loaded
# before and after ClerkSessions in a fresh pwsh (a process keeps what it loaded), which then runs a bulk revoke
# against an emulator served from this process. Both modules work, and each runs with its own copies.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PesterSupport.ps1')
    $moduleManifest = Join-Path $env:CLERKSESSIONS_MODULE_PATH 'ClerkSessions.psd1'
    Import-Module $moduleManifest -Force -ErrorAction Stop

    $work = Join-Path ([IO.Path]::GetTempPath()) ("clerksessions-neighbour-{0}" -f [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
    # Out of the repository, so that its Directory.*.props (central versions, warnings as errors) do not apply.
    Copy-Item -Path (Join-Path $PSScriptRoot 'NeighbourModule') -Destination (Join-Path $work 'src') -Recurse
    $neighbours = @{}
    foreach ($build in @(
            @{ Name = 'older'; Extensions = '6.0.0'; Json = '6.0.11' }
            @{ Name = 'newer'; Extensions = '10.0.0'; Json = '10.0.0' })) {
        $folder = Join-Path $work $build.Name
        $log = & dotnet publish (Join-Path $work 'src') -c Release -o $folder -nologo "-p:ExtensionsVersion=$($build.Extensions)" "-p:JsonVersion=$($build.Json)" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The neighbour module did not build: $($log -join "`n")" }
        $neighbours[$build.Name] = $folder
    }

    $emulator = Start-ClerkEmulator -UserCount 4 -SessionsPerUser 3
    $secretKey = [Net.NetworkCredential]::new('', $emulator.SecretKey).Password
    $ourFolder = (Resolve-Path $env:CLERKSESSIONS_MODULE_PATH).Path
    $connection = $emulator | Connect-Clerk -PassThru

    function Invoke-SideBySide {
        param([string] $Neighbour, [string] $Order)
        Reset-ClerkEmulator -Emulator $emulator
        $script:active = @($emulator.UserIds | ForEach-Object { [pscustomobject]@{ UserId = $_ } } |
                Get-ClerkSession -Status active -Connection $connection).Count
        $script = "& '{0}' -ClerkSessions '{1}' -Neighbour '{2}' -Order {3} -ApiUrl '{4}' -SecretKey '{5}' -UserIds '{6}'" -f
            (Join-Path $PSScriptRoot 'NeighbourModule/Invoke-SideBySide.ps1'), $moduleManifest,
            (Join-Path $Neighbour 'Neighbour.dll'), $Order, $emulator.ApiUrl, $secretKey, ($emulator.UserIds -join ';')
        $run = Invoke-ChildPwsh -Script $script -NonInteractive -TimeoutSeconds 120
        if ($run.ExitCode -ne 0) { throw "The side-by-side run failed ($($run.ExitCode)): $($run.Errors) $($run.Output)" }
        $run.Output | ConvertFrom-Json
    }

    function Test-Under([string] $Path, [string] $Folder) {
        $Path.StartsWith($Folder.TrimEnd([IO.Path]::DirectorySeparatorChar) + [IO.Path]::DirectorySeparatorChar, [StringComparison]::Ordinal)
    }
}

AfterAll {
    Get-ClerkEmulator | Stop-ClerkEmulator
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module ClerkSessions -ErrorAction SilentlyContinue
}

# Load contexts are .NET's (PowerShell 7); Windows PowerShell resolves from the module folder side by side instead.
Describe 'Beside a module with its own Microsoft.Extensions.* and System.Text.Json' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    It 'both work with the <Build> libraries loaded <Order>, and neither runs with the other''s copies' -ForEach @(
        @{ Build = 'older'; Version = '6.0.0.0'; Order = 'NeighbourFirst' }
        @{ Build = 'older'; Version = '6.0.0.0'; Order = 'ClerkSessionsFirst' }
        @{ Build = 'newer'; Version = '10.0.0.0'; Order = 'NeighbourFirst' }
        @{ Build = 'newer'; Version = '10.0.0.0'; Order = 'ClerkSessionsFirst' }
    ) {
        $neighbourFolder = $neighbours[$Build]
        $run = Invoke-SideBySide -Neighbour $neighbourFolder -Order $Order

        # The bulk revoke: every active session of the four users, once each.
        $active | Should -BeGreaterThan 0
        $run.Revoked | Should -Be $active
        @(Get-ClerkEmulatorRequest -Emulator $emulator | Where-Object Path -like '*/revoke').Count | Should -Be $active

        # The neighbour reached the emulator (401: it sends no key) with its own Microsoft.Extensions.* every time.
        $uses = @($run.NeighbourAfter)
        if ($run.PSObject.Properties['NeighbourBefore']) { $uses += $run.NeighbourBefore }
        foreach ($use in $uses) {
            $use.StatusCode | Should -Be 401
            $extensions = @($use.Assemblies | Where-Object Name -like 'Microsoft.Extensions.*')
            $extensions.Count | Should -BeGreaterThan 0
            foreach ($assembly in $extensions) {
                $assembly.Version | Should -Be $Version
                Test-Under $assembly.Location $neighbourFolder | Should -BeTrue -Because "$($assembly.Name) is the neighbour's own"
            }
        }

        $loaded = @($run.Loaded)
        $ours = @($loaded | Where-Object { Test-Under $_.Location $ourFolder })
        $private = @($loaded | Where-Object Context -eq 'ClerkSessions')

        # ClerkSessions ran with its own Microsoft.Extensions.* (8.0) and rate limiter, all in its private context.
        @($private.Name) | Should -Contain 'Microsoft.Extensions.Http'
        @($private.Name) | Should -Contain 'System.Threading.RateLimiting'
        foreach ($assembly in $private) {
            Test-Under $assembly.Location (Join-Path $ourFolder 'dependencies') | Should -BeTrue -Because "$($assembly.Name) in ClerkSessions' context is its own"
        }
        ($private | Where-Object Name -eq 'Microsoft.Extensions.Http').Version | Should -Be '8.0.0.0'

        # Nothing ClerkSessions ships from dependencies/ is in the context every module shares; its own types are.
        @($ours | Where-Object Context -ne 'ClerkSessions' | ForEach-Object Name | Sort-Object) |
            Should -Be @('ClerkSessions', 'ClerkSessions.Core', 'ClerkSessions.Emulator')

        # System.Text.Json is the platform's for both: neither module's copy was loaded.
        foreach ($json in @($loaded | Where-Object Name -eq 'System.Text.Json')) {
            Test-Under $json.Location $ourFolder | Should -BeFalse
            Test-Under $json.Location $neighbourFolder | Should -BeFalse
        }
    }

    It 'reads nothing from dependencies/ at import, so the loader in the cmdlet assembly runs in time and importing stays cheap' {
        $script = "Import-Module '{0}'; [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {{ -not `$_.IsDynamic -and `$_.Location -like '*dependencies*' }} | ForEach-Object {{ `$_.GetName().Name }}; 'contexts: ' + ([Runtime.Loader.AssemblyLoadContext]::All.Name -join ',')" -f $moduleManifest
        $run = Invoke-ChildPwsh -Script $script -NonInteractive -TimeoutSeconds 60

        $run.ExitCode | Should -Be 0
        $lines = @($run.Output -split '\r?\n' | Where-Object { $_ })
        $lines | Should -Be @($lines | Where-Object { $_ -like 'contexts: *' })
        $lines[-1] | Should -Not -Match '\bClerkSessions\b'
    }

    It 'verifies with a PEM key using the platform''s System.Formats.Asn1, which it ships in dependencies/ for Windows PowerShell' {
        Test-Path -LiteralPath (Join-Path (Join-Path $ourFolder 'dependencies') 'System.Formats.Asn1.dll') | Should -BeTrue
        $script = @'
$rsa = [Security.Cryptography.RSA]::Create(2048)
function ConvertTo-Base64Url([byte[]] $Bytes) { [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
$now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
$signingInput = (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{"alg":"RS256","typ":"JWT"}'))) + '.' +
    (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{"sid":"sess_1","sub":"user_1","exp":' + ($now + 600) + '}')))
$signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($signingInput), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
Import-Module 'MANIFEST'
$valid = Test-ClerkSessionToken -Token ($signingInput + '.' + (ConvertTo-Base64Url $signature)) -JwtKey $rsa.ExportSubjectPublicKeyInfoPem()
$asn1 = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Formats.Asn1' } | ForEach-Object { $_.Location })
[pscustomobject]@{ Valid = $valid; Asn1 = $asn1 } | ConvertTo-Json -Compress
'@
        $run = Invoke-ChildPwsh -Script $script.Replace('MANIFEST', $moduleManifest) -NonInteractive -TimeoutSeconds 60

        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $result = $run.Output | ConvertFrom-Json
        $result.Valid | Should -BeTrue
        @($result.Asn1).Count | Should -Be 1
        Test-Under $result.Asn1[0] $ourFolder | Should -BeFalse -Because 'the platform''s newer System.Formats.Asn1 answers on PowerShell 7'
    }

    It 'keeps the module''s own types usable from scripts: type literals, -is and format views' {
        $session = Get-ClerkSession -UserId $emulator.UserIds[0] -First 1 -Connection $connection

        $session -is [ClerkSessions.Core.Models.ClerkSession] | Should -BeTrue
        $emulator -is [ClerkSessions.Emulator.ClerkEmulator] | Should -BeTrue
        $connection -is [ClerkSessions.Connections.ClerkConnection] | Should -BeTrue
        ($session | Out-String) | Should -Match ([regex]::Escape($session.Id))
        [ClerkSessions.Core.Models.ClerkSession].Assembly.Location | Should -Be (Join-Path $ourFolder 'ClerkSessions.Core.dll')
    }
}
