using System.Reflection;

namespace ClerkSessions.Loading;

/// <summary>
/// The module's own AssemblyLoadContext on PowerShell 7, named "ClerkSessions". When made, it loads every assembly of
/// the dependencies folder that the platform lacks (ClerkSessions.Isolated, Microsoft.Extensions.*,
/// System.Threading.RateLimiting): a load context answers from what it has loaded before it looks anywhere else, so
/// these are always the module's own copies, whatever other modules put in the default context, and other modules
/// never see them. An assembly that .NET or PowerShell itself provides in an equal or newer version
/// (System.Text.Json, System.Memory, Microsoft.Bcl.AsyncInterfaces, …) is not loaded here: it is the platform's,
/// bound in the default context where no module can replace it, and shared with the module's other assemblies.
/// </summary>
/// <remarks>
/// Made through reflection rather than by deriving from AssemblyLoadContext: PowerShell reads every type of the
/// cmdlet assembly at import, and Windows PowerShell has no AssemblyLoadContext to derive from.
/// </remarks>
internal sealed class PrivateLoadContext
{
    private readonly Dictionary<string, Assembly> _loaded;

    private PrivateLoadContext(Dictionary<string, Assembly> loaded) => _loaded = loaded;

    /// <summary>The context for <paramref name="folder"/>, or null where there are no load contexts (Windows PowerShell).</summary>
    /// <param name="platformFiles">The platform's assemblies by name; the process's trusted platform assemblies by default.</param>
    public static PrivateLoadContext? Create(DependencyFolder folder, IReadOnlyDictionary<string, string>? platformFiles = null)
    {
        var type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
        if (type is null)
        {
            return null;
        }

        var context = Activator.CreateInstance(type, "ClerkSessions", false)!;
        var loadFromPath = type.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
        var platform = platformFiles ?? PlatformFiles();
        var loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        foreach (var shipped in folder.Assemblies())
        {
            if (!(platform.TryGetValue(shipped.Key, out var platformFile) && DependencyFolder.VersionOf(platformFile) >= DependencyFolder.VersionOf(shipped.Value)))
            {
                loaded[shipped.Key] = (Assembly)loadFromPath.Invoke(context, new object[] { shipped.Value })!;
            }
        }

        return new PrivateLoadContext(loaded);
    }

    /// <summary>The module's copy of <paramref name="name"/>, or null when the platform's is used.</summary>
    public Assembly? Find(AssemblyName name) => name.Name is { } simple && _loaded.TryGetValue(simple, out var assembly) ? assembly : null;

    // The runtime's and PowerShell's own assemblies: the process's trusted platform assemblies.
    private static Dictionary<string, string> PlatformFiles()
    {
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
        {
            files[Path.GetFileNameWithoutExtension(path)] = path;
        }

        return files;
    }
}
