using System.Management.Automation;
using System.Reflection;

namespace ClerkSessions.Loading;

/// <summary>
/// Loads what the module ships in its <c>dependencies</c> folder (ClerkSessions.Isolated, Microsoft.Extensions.*,
/// System.Text.Json, …), a folder PowerShell never probes, for the module's own assemblies only. On PowerShell 7 they
/// load into the module's <see cref="PrivateLoadContext"/>, away from other modules' copies; the module's own
/// assemblies beside the manifest stay in the default context, so scripts can name their types. Windows PowerShell
/// 5.1 has one load context: there the folder's assemblies load side by side with other versions, as strong-named
/// assemblies can. It lives in the cmdlet assembly, whose import runs it, because what PowerShell reads of that
/// assembly before (its types, their bases and interfaces) needs nothing from the folder; ModuleLayoutTests keeps it so.
/// </summary>
public sealed class DependencyLoader : IModuleAssemblyInitializer
{
    internal const string FolderName = "dependencies";

    private static readonly object Gate = new();
    private static bool s_installed;

    internal static DependencyFolder Folder { get; } =
        new(Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location)!, FolderName));

    // Made at the first request, so an import that calls nothing pays for none of it.
    private static Lazy<PrivateLoadContext?> Context { get; } = new(() => PrivateLoadContext.Create(Folder));

    public void OnImport()
    {
        // Import-Module runs this at every import, in every runspace; the handler is process-wide and stays, as the
        // assemblies it loaded cannot be unloaded and another runspace may still use them.
        lock (Gate)
        {
            if (!s_installed)
            {
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                s_installed = true;
            }
        }
    }

    // Only requests from the module's own assemblies are answered: another module asking for an assembly the folder
    // also holds never receives the module's copy. (Windows PowerShell may not name the requesting assembly.)
    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name);
        var ours = args.RequestingAssembly is not { } requester || IsModuleAssembly(requester.GetName());
        if (!ours || Folder.Locate(name) is not { } path)
        {
            return null;
        }

        return Context.Value is { } context ? context.Find(name) : Assembly.LoadFrom(path);
    }

    private static bool IsModuleAssembly(AssemblyName name) =>
        name.Name is "ClerkSessions" || (name.Name?.StartsWith("ClerkSessions.", StringComparison.Ordinal) ?? false);
}
