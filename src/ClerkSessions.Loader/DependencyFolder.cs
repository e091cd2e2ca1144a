using System.Reflection;

namespace ClerkSessions.Loader;

/// <summary>The module's dependencies folder: which shipped file, if any, answers a request for an assembly.</summary>
internal sealed class DependencyFolder
{
    private readonly string _path;

    public DependencyFolder(string path) => _path = path;

    /// <summary>
    /// The folder's file for <paramref name="requested"/> when it is the same or a newer version, else null. Newer
    /// answers older: Windows PowerShell applies no binding redirects to modules, so System.Memory asking for
    /// System.Runtime.CompilerServices.Unsafe 4.0.4.1 is answered with the 6.0.0.0 the folder holds.
    /// </summary>
    public string? Locate(AssemblyName requested)
    {
        var name = requested.Name;
        if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(".."))
        {
            return null;
        }

        var path = Path.Combine(_path, name + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var shipped = AssemblyName.GetAssemblyName(path).Version;
            return requested.Version is null || (shipped is not null && shipped >= requested.Version) ? path : null;
        }
        catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or IOException)
        {
            return null;
        }
    }
}
