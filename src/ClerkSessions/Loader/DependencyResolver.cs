using System.Reflection;

namespace ClerkSessions.Loader;

/// <summary>
/// Answers the runtime's "cannot find assembly X" with the copy in the module folder when that copy is the same or
/// a newer version. Windows PowerShell 5.1 applies no binding redirects to modules, so System.Memory asking for
/// System.Runtime.CompilerServices.Unsafe 4.0.4.1 when the folder holds 6.0.0.0 would otherwise fail to load.
/// The handler is process-wide: another module asking for a newer version than ours is not offered ours.
/// </summary>
public sealed class DependencyResolver
{
    private readonly string _moduleDirectory;

    public DependencyResolver(string moduleDirectory) => _moduleDirectory = moduleDirectory;

    /// <summary>The module folder's file for <paramref name="requested"/>, or null when the module does not ship it.</summary>
    public string? Locate(AssemblyName requested)
    {
        var name = requested.Name;
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(".."))
        {
            return null;
        }

        var path = Path.Combine(_moduleDirectory, name + ".dll");
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

    public Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var path = Locate(new AssemblyName(args.Name));
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
