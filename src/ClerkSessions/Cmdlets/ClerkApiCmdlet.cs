using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>A cmdlet that calls Clerk: through the connection given with -Connection, else the runspace's current one.</summary>
public abstract class ClerkApiCmdlet : ClerkCmdlet
{
    /// <summary>The connection to use (from Connect-Clerk -PassThru) instead of the runspace's current one.</summary>
    [Parameter]
    [ValidateNotNull]
    public ClerkConnection? Connection { get; set; }

    /// <summary>-Connection, else the current connection, else one made from the environment; a terminating error without any.</summary>
    protected ClerkConnection ResolveConnection()
    {
        if (Connection is null)
        {
            return Connections.GetOrConnect(this);
        }

        if (Connection.IsClosed)
        {
            throw new CommandTerminatingException(CommandErrors.Terminating(
                "ClerkConnectionClosed",
                ErrorCategory.ResourceUnavailable,
                $"The connection given with -Connection ({Connection.ApiUrl}, {Connection.MaskedSecretKey}) was closed by Disconnect-Clerk. Connect again with Connect-Clerk -PassThru.",
                Connection));
        }

        return Connection;
    }
}
