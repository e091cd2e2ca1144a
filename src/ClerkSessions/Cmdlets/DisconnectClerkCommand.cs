using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>Forgets the secret key and disposes the connection's HTTP client.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Clerk")]
[OutputType(typeof(ClerkConnection))]
public sealed class DisconnectClerkCommand : ClerkCmdlet
{
    /// <summary>Writes the connection that was closed (its key shown masked only).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void End() => DisconnectOperation.Disconnect(this, ConnectionStore.Default, PassThru.IsPresent);
}
