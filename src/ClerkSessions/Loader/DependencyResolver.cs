using System.Reflection;

namespace ClerkSessions.Loader;

/// <summary>
/// Answers the runtime's "cannot find assembly X" with the copy in the module folder, whatever version was asked
/// for. Windows PowerShell 5.1 applies no binding redirects to modules, so System.Memory asking for
/// System.Runtime.CompilerServices.Unsafe 4.0.4.1 when the folder holds 6.0.0.0 would otherwise fail to load.
/// Only files that are in the module folder are ever offered.
/// </summary>
public sealed class DependencyResolver
{
    private readonly string _moduleDirectory;

    public DependencyResolver(string moduleDirectory) => _moduleDirectory = moduleDirectory;

    /// <summary>The module folder's file for <paramref name="requested"/>, or null when the module does not ship it.</summary>
    public string? Locate(AssemblyName requested)
    {
        var name = requested?.Name;
        if (string.IsNullOrEmpty(name) || name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(".."))
        {
            return null;
        }

        var path = Path.Combine(_moduleDirectory, name + ".dll");
        return File.Exists(path) ? path : null;
    }

    public Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var path = Locate(new AssemblyName(args.Name));
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
