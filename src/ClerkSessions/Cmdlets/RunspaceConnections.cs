using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Finds the <see cref="ConnectionStore"/> of the runspace a cmdlet runs in, so each runspace has its own. The store
/// lives in a private variable of the runspace's global scope: a runspace reset for reuse (ForEach-Object -Parallel
/// does so between items) loses its variables and starts unconnected, like a new one. A table by runspace keeps the
/// store too, so the connection of a reset, closed or broken runspace is closed rather than left to the collector.
/// </summary>
internal static class RunspaceConnections
{
    private const string VariableName = "global:ClerkSessionsConnectionStore";
    private static readonly ConditionalWeakTable<Runspace, ConnectionStore> ByRunspace = new();

    public static ConnectionStore Get(PSVariableIntrinsics variables)
    {
        if (variables.Get(VariableName)?.Value is ConnectionStore existing)
        {
            return existing;
        }

        var store = new ConnectionStore();
        variables.Set(VariableName, store);
        var variable = variables.Get(VariableName);
        variable.Visibility = SessionStateEntryVisibility.Private;
        variable.Description = "ClerkSessions: this runspace's current connection.";
        if (Runspace.DefaultRunspace is Runspace runspace)
        {
            Track(runspace, store);
        }

        return store;
    }

    /// <summary>The store of <paramref name="runspace"/>, or null when nothing in it has connected yet.</summary>
    public static ConnectionStore? Find(Runspace? runspace) =>
        runspace is not null && ByRunspace.TryGetValue(runspace, out var store) ? store : null;

    private static void Track(Runspace runspace, ConnectionStore store)
    {
        lock (ByRunspace)
        {
            if (ByRunspace.TryGetValue(runspace, out var previous))
            {
                // The variable is gone but the runspace is not: it was reset (or the variable removed).
                ByRunspace.Remove(runspace);
                previous.Abandon();
            }
            else
            {
                runspace.StateChanged += OnStateChanged;
            }

            ByRunspace.Add(runspace, store);
        }
    }

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is not Runspace runspace || e.RunspaceStateInfo.State is not (RunspaceState.Closed or RunspaceState.Broken))
        {
            return;
        }

        runspace.StateChanged -= OnStateChanged;
        ConnectionStore? store;
        lock (ByRunspace)
        {
            if (!ByRunspace.TryGetValue(runspace, out store))
            {
                return;
            }

            ByRunspace.Remove(runspace);
        }

        store.Abandon();
    }
}
