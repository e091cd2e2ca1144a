using System.Reflection;
using System.Runtime.Loader;

namespace ClerkSessions.Loader;

/// <summary>
/// The module's private load context on PowerShell 7: ClerkSessions.Isolated and the libraries it uses
/// (Microsoft.Extensions.*, System.Threading.RateLimiting) load here from the dependencies folder, never into the
/// default context other modules share, so a module loaded before or after ClerkSessions with other versions of them
/// neither breaks it nor receives its copies. An assembly that .NET or PowerShell itself provides in an equal or newer
/// version (System.Text.Json, System.Memory, Microsoft.Bcl.AsyncInterfaces, …) is the platform's: it is bound in the
/// default context, where no module can replace it, and shared with the module's other assemblies.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly DependencyFolder _folder;
    private readonly IReadOnlyDictionary<string, string> _platformFiles;

    /// <param name="platformFiles">The platform's assemblies by name; the process's trusted platform assemblies by default.</param>
    public DependencyLoadContext(DependencyFolder folder, IReadOnlyDictionary<string, string>? platformFiles = null)
    {
        _folder = folder;
        _platformFiles = platformFiles ?? PlatformFiles();
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var shipped = _folder.Locate(assemblyName);
        if (shipped is null)
        {
            return null;
        }

        var platformHasIt = _platformFiles.TryGetValue(assemblyName.Name!, out var platform) && VersionOf(platform) >= VersionOf(shipped);
        return platformHasIt ? null : LoadFromAssemblyPath(shipped);
    }

    private static Version VersionOf(string path) => AssemblyName.GetAssemblyName(path).Version ?? new Version();

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
