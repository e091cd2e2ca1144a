using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Finds the <see cref="ConnectionStore"/> of the runspace a cmdlet runs in. It lives in a private variable of the
/// runspace's global scope rather than in a static, so each runspace has its own, and a runspace that is reset for
/// reuse (ForEach-Object -Parallel does so between iterations) starts unconnected, like a new one.
/// </summary>
internal static class RunspaceConnections
{
    private const string VariableName = "global:ClerkSessionsConnectionStore";

    public static ConnectionStore Get(PSVariableIntrinsics variables)
    {
        if (Find(variables) is ConnectionStore existing)
        {
            return existing;
        }

        var store = new ConnectionStore();
        variables.Set(VariableName, store);
        var variable = variables.Get(VariableName);
        variable.Visibility = SessionStateEntryVisibility.Private;
        variable.Description = "ClerkSessions: this runspace's current connection.";
        return store;
    }

    /// <summary>The runspace's store, or null when nothing in it has connected yet.</summary>
    public static ConnectionStore? Find(PSVariableIntrinsics variables) =>
        variables.Get(VariableName)?.Value as ConnectionStore;
}
