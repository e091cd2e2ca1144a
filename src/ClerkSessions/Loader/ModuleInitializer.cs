using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Loader;

/// <summary>Runs when the module is imported and removed: dependency resolution in, connection out.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly DependencyResolver Resolver =
        new(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory);

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolver.Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AppDomain.CurrentDomain.AssemblyResolve -= Resolver.Resolve;
        ConnectionStore.Default.Disconnect();
    }
}
