using System.Management.Automation;
using ClerkSessions.Connections;

namespace ClerkSessions.Cmdlets;

/// <summary>Shows this runspace's current connection: which instance, which key (masked), which settings.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkConnection")]
[OutputType(typeof(ClerkConnection))]
public sealed class GetClerkConnectionCommand : ClerkCmdlet
{
    protected override void End()
    {
        if (Connections.Current is { IsClosed: false } current)
        {
            WriteObject(current);
        }
        else
        {
            WriteVerbose("Not connected to Clerk in this runspace.");
        }
    }
}
