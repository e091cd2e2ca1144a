using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ClerkSessions.Cmdlets;
using ClerkSessions.Commands;

namespace ClerkSessions.Loader;

/// <summary>Runs when the module is imported and removed: dependency resolution in, this runspace's connection and emulators out.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly DependencyResolver Resolver =
        new(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory);

    public void OnImport()
    {
        // Each runspace that imports the module calls this; the handler is process-wide, so it is added once.
        AppDomain.CurrentDomain.AssemblyResolve -= Resolver.Resolve;
        AppDomain.CurrentDomain.AssemblyResolve += Resolver.Resolve;
    }

    /// <summary>
    /// Closes the connection of the runspace removing the module and stops the emulators it started, and only what it
    /// owns: other runspaces keep theirs
    /// (and the resolver, which is why it stays registered), and a connection handed out with -PassThru, which a
    /// script may still use elsewhere, stays open until Disconnect-Clerk -Connection.
    /// </summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        RunspaceScoped<ConnectionStore>.Find(Runspace.DefaultRunspace)?.Abandon();
        RunspaceScoped<EmulatorSet>.Find(Runspace.DefaultRunspace)?.Abandon();
    }
}
