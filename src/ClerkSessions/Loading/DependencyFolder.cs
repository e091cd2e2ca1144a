using System.Reflection;

namespace ClerkSessions.Loading;

/// <summary>The module's dependencies folder: which shipped file, if any, answers a request for an assembly.</summary>
internal sealed class DependencyFolder
{
    public DependencyFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// The folder's file for <paramref name="requested"/> when it is the same or a newer version, else null. Newer
    /// answers older: Windows PowerShell applies no binding redirects to modules, so System.Memory asking for
    /// System.Runtime.CompilerServices.Unsafe 4.0.4.1 is answered with the 6.0.0.0 the folder holds.
    /// </summary>
    public string? Locate(AssemblyName requested)
    {
        var name = requested.Name;
        if (string.IsNullOrEmpty(name) || name!.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.Contains(".."))
        {
            return null;
        }

        var path = System.IO.Path.Combine(Path, name + ".dll");
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
