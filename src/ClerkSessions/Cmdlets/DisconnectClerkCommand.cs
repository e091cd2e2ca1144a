using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Closes this runspace's connection (or the one given): forgets the secret key and disposes its HTTP client.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Clerk")]
[OutputType(typeof(ClerkConnection))]
public sealed class DisconnectClerkCommand : ClerkCmdlet
{
    /// <summary>The connection to close (from Connect-Clerk -PassThru) instead of the runspace's current one.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClerkConnection? Connection { get; set; }

    /// <summary>Writes the connection that was closed (its key shown masked only).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process() => DisconnectOperation.Disconnect(this, Connections, Connection, PassThru.IsPresent);
}
