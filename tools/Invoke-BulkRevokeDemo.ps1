#Requires -Version 5.1
<#
.SYNOPSIS
    The module's signature move, end to end: revoke every session of a user.
.DESCRIPTION
    With $env:CLERK_SECRET_KEY set, it connects to that Clerk instance and revokes the sessions of -UserId, asking
    before each one (Revoke-ClerkSession's ConfirmImpact is High). Without a key it starts the Clerk emulator in this
    process, connects to it, revokes every session of its first seeded user without asking, shows what is left, and
    stops the emulator. build.ps1 -Task Demo runs it in a fresh PowerShell against the staged module.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path (Join-Path (Join-Path $PSScriptRoot '..') 'out') 'ClerkSessions'),

    # The user whose sessions are revoked on a real instance; the emulator's first user otherwise.
    [string] $UserId
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

if ($env:CLERK_SECRET_KEY) {
    if (-not $UserId) {
        throw 'CLERK_SECRET_KEY is set, so this runs against that Clerk instance: name the user whose sessions to revoke with -UserId user_….'
    }

    Connect-Clerk
    Get-ClerkSession -UserId $UserId | Revoke-ClerkSession
    return
}

$emulator = Start-ClerkEmulator
try {
    $emulator | Connect-Clerk
    $UserId = $emulator.UserIds[0]
    Write-Host "No CLERK_SECRET_KEY is set: running on the Clerk emulator at $($emulator.ApiUrl)"
    Write-Host "Sessions of $UserId before:"
    Get-ClerkSession -UserId $UserId | Format-Table | Out-Host
    Write-Host "Get-ClerkSession -UserId $UserId | Revoke-ClerkSession -Force -Verbose"
    Get-ClerkSession -UserId $UserId | Revoke-ClerkSession -Force -Verbose | Format-Table | Out-Host
    $left = @(Get-ClerkSession -UserId $UserId -Status active)
    Write-Host "Active sessions of $UserId left: $($left.Count)"
    if ($left.Count -ne 0) {
        throw "The bulk revoke left $($left.Count) active session(s)."
    }
}
finally {
    Disconnect-Clerk
    $emulator | Stop-ClerkEmulator
}
