using System.Reflection;

namespace ClerkSessions.Loading;

/// <summary>The module's dependencies folder: what it ships, and which file, if any, answers a request for an assembly.</summary>
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

        var shipped = VersionOf(path);
        return shipped is not null && (requested.Version is null || shipped >= requested.Version) ? path : null;
    }

    /// <summary>Every assembly the folder ships, by simple name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Assemblies() =>
        Directory.EnumerateFiles(Path, "*.dll").Select(file => new KeyValuePair<string, string>(System.IO.Path.GetFileNameWithoutExtension(file), file));

    /// <summary>The assembly version of the file at <paramref name="path"/>; null when it is not a readable assembly.</summary>
    public static Version? VersionOf(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version ?? new Version();
        }
        catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or IOException)
        {
            return null;
        }
    }
}
