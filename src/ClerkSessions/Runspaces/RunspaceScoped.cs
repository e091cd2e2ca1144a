using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace ClerkSessions.Runspaces;

/// <summary>
/// Finds the <typeparamref name="T"/> of the runspace a cmdlet runs in (its connection store, its emulators), so
/// each runspace has its own. It lives in a private variable of the runspace's global scope: a runspace reset for
/// reuse (ForEach-Object -Parallel does so between items) loses its variables and starts afresh, like a new one. A
/// table by runspace keeps it too, so what a reset, closed or broken runspace held is released rather than left to
/// the collector.
/// </summary>
internal static class RunspaceScoped<T>
    where T : class, IRunspaceResource, new()
{
    private static readonly string VariableName = "global:ClerkSessions" + typeof(T).Name;
    private static readonly ConditionalWeakTable<Runspace, T> ByRunspace = new();

    public static T Get(PSVariableIntrinsics variables)
    {
        if (variables.Get(VariableName)?.Value is T existing)
        {
            return existing;
        }

        var resource = new T();
        variables.Set(VariableName, resource);
        var variable = variables.Get(VariableName);
        variable.Visibility = SessionStateEntryVisibility.Private;
        variable.Description = "ClerkSessions: this runspace's " + typeof(T).Name + ".";
        if (Runspace.DefaultRunspace is Runspace runspace)
        {
            Track(runspace, resource);
        }

        return resource;
    }

    /// <summary>The <typeparamref name="T"/> of <paramref name="runspace"/>, or null when nothing in it has used one yet.</summary>
    public static T? Find(Runspace? runspace) =>
        runspace is not null && ByRunspace.TryGetValue(runspace, out var resource) ? resource : null;

    private static void Track(Runspace runspace, T resource)
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

            ByRunspace.Add(runspace, resource);
        }
    }

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is not Runspace runspace || e.RunspaceStateInfo.State is not (RunspaceState.Closed or RunspaceState.Broken))
        {
            return;
        }

        runspace.StateChanged -= OnStateChanged;
        T? resource;
        lock (ByRunspace)
        {
            if (!ByRunspace.TryGetValue(runspace, out resource))
            {
                return;
            }

            ByRunspace.Remove(runspace);
        }

        resource.Abandon();
    }
}
