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

    /// <summary>
    /// -Connection, else the current connection, else one made from the environment, held open until this command
    /// ends; a terminating error without any.
    /// </summary>
    protected ClerkConnection ResolveConnection()
    {
        var connection = Connection ?? Connections.GetOrConnect(this);
        var use = connection.TryUse() ?? throw new CommandTerminatingException(CommandErrors.Terminating(
            "ClerkConnectionClosed",
            ErrorCategory.ResourceUnavailable,
            $"The connection to {connection.ApiUrl} ({connection.MaskedSecretKey}) was closed by Disconnect-Clerk. Connect again with Connect-Clerk -PassThru.",
            connection));
        Own(use);
        return connection;
    }
}
