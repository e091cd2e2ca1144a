using System.Management.Automation.Runspaces;
using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Runspaces;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Runs when a runspace removes the module: closes that runspace's connection and stops the emulators it started, and
/// only what it owns: other runspaces keep theirs, and a connection handed out with -PassThru, which a script may still
/// use elsewhere, stays open until Disconnect-Clerk -Connection. (Loading is <see cref="Loading.DependencyLoader"/>'s.)
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        RunspaceScoped<ConnectionStore>.Find(Runspace.DefaultRunspace)?.Abandon();
        RunspaceScoped<EmulatorSet>.Find(Runspace.DefaultRunspace)?.Abandon();
    }
}
