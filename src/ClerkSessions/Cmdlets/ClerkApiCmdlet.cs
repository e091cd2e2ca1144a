using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>A cmdlet that calls Clerk: through the connection given with -Connection, else the runspace's current one.</summary>
public abstract class ClerkApiCmdlet : ClerkCmdlet
{
    /// <summary>The connection to use (from Connect-Clerk -PassThru) instead of the runspace's current one.</summary>
    [Parameter]
    [ValidateNotNull]
    public ClerkConnection? Connection { get; set; }

    /// <summary>
    /// -Connection, else the current connection, else one made from the environment, held open until this command
    /// ends; a terminating error without any.
    /// </summary>
    protected ClerkConnection ResolveConnection()
    {
        var connection = Connection ?? Connections.GetOrConnect(this);
        var use = connection.TryUse();
        if (use is null && Connection is null)
        {
            // Closed from another runspace since GetOrConnect looked: this runspace is not connected any more.
            connection = Connections.GetOrConnect(this);
            use = connection.TryUse();
        }

        Own(use ?? throw new CommandTerminatingException(CommandErrors.Terminating(
            "ClerkConnectionClosed",
            ErrorCategory.ResourceUnavailable,
            $"The connection to {connection.ApiUrl} ({connection.MaskedSecretKey}) is closed: Disconnect-Clerk, a newer Connect-Clerk or the end of its runspace closed it. Use one from Connect-Clerk -PassThru.",
            connection)));
        return connection;
    }
}
