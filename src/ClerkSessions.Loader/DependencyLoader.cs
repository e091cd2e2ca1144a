using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ClerkSessions.Loader;

/// <summary>
/// Loads what the module ships in its <c>dependencies</c> folder (ClerkSessions.Isolated, Microsoft.Extensions.*,
/// System.Text.Json, …), a folder PowerShell never probes, for the module's own assemblies only. On PowerShell 7 they
/// load into the module's <see cref="DependencyLoadContext"/>, away from other modules' copies; the module's own
/// assemblies beside the manifest stay in the default context, so scripts can name their types. Windows PowerShell
/// 5.1 has one load context: there the folder's assemblies load side by side with other versions, as strong-named
/// assemblies can.
/// </summary>
public sealed class DependencyLoader : IModuleAssemblyInitializer
{
    internal const string FolderName = "dependencies";

    private static readonly object Gate = new();
    private static Func<AssemblyName, Assembly>? s_load;

    internal static DependencyFolder Folder { get; } =
        new(Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location)!, FolderName));

    public void OnImport()
    {
        // Import-Module runs this at every import, in every runspace; the handler is process-wide and stays, as the
        // assemblies it loaded cannot be unloaded and another runspace may still use them.
        lock (Gate)
        {
            if (s_load is not null)
            {
                return;
            }

            s_load = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") is null
                ? name => Assembly.LoadFrom(Folder.Locate(name)!)
                : LoadContext();
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }
    }

    // Kept out of OnImport so that Windows PowerShell never compiles a method that names AssemblyLoadContext.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Func<AssemblyName, Assembly> LoadContext() => new DependencyLoadContext(Folder).LoadFromAssemblyName;

    // Only requests from the module's own assemblies are answered: another module asking for an assembly the folder
    // also holds never receives the module's copy. (Windows PowerShell may not name the requesting assembly.)
    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name);
        var ours = args.RequestingAssembly is not { } requester || IsModuleAssembly(requester.GetName());
        return ours && Folder.Locate(name) is not null ? s_load!(name) : null;
    }

    private static bool IsModuleAssembly(AssemblyName name) =>
        name.Name is "ClerkSessions" || (name.Name?.StartsWith("ClerkSessions.", StringComparison.Ordinal) ?? false);
}
