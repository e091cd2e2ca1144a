using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>Forgets the secret key and disposes the connection's HTTP client.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Clerk")]
public sealed class DisconnectClerkCommand : ClerkCmdlet
{
    protected override void End() =>
        WriteVerbose(ConnectionStore.Default.Disconnect() ? "Disconnected from Clerk; the secret key is forgotten." : "Not connected to Clerk.");
}
