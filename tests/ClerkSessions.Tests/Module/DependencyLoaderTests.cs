using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using ClerkSessions.Loader;

namespace ClerkSessions.Tests.Module;

/// <summary>The loader's rules, on a folder of copies; Pester proves it beside another module (tests/Isolation.Tests.ps1).</summary>
public sealed class DependencyLoaderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("clerk-dependencies-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void The_folder_answers_with_its_copy_for_the_same_or_an_older_version_only()
    {
        var shippedAssembly = typeof(ClerkSessions.Core.ClerkSessionsClient).Assembly;
        var shipped = Copy(shippedAssembly);
        File.WriteAllText(Path.Combine(_folder.FullName, "Broken.dll"), "not an assembly");
        var folder = new DependencyFolder(_folder.FullName);
        var version = shippedAssembly.GetName().Version!;

        Assert.Equal(shipped, folder.Locate(new AssemblyName($"ClerkSessions.Core, Version={version}")));
        Assert.Equal(shipped, folder.Locate(new AssemblyName("ClerkSessions.Core, Version=0.0.1.0")));
        Assert.Equal(shipped, folder.Locate(new AssemblyName("ClerkSessions.Core")));
        Assert.Null(folder.Locate(new AssemblyName($"ClerkSessions.Core, Version={version.Major + 1}.0.0.0")));
        Assert.Null(folder.Locate(new AssemblyName("Broken")));
        Assert.Null(folder.Locate(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0")));
        Assert.Null(folder.Locate(new AssemblyName("..")));
    }

    [Fact]
    public void A_library_the_platform_lacks_loads_privately_from_the_folder()
    {
        var shipped = Copy(typeof(Microsoft.Extensions.Primitives.StringValues).Assembly);
        var context = new DependencyLoadContext(new DependencyFolder(_folder.FullName), new Dictionary<string, string>());

        var loaded = context.LoadFromAssemblyName(new AssemblyName("Microsoft.Extensions.Primitives"));

        Assert.Same(context, AssemblyLoadContext.GetLoadContext(loaded));
        Assert.Equal(shipped, loaded.Location);
        Assert.NotSame(typeof(Microsoft.Extensions.Primitives.StringValues).Assembly, loaded);
    }

    [Fact]
    public void A_library_the_platform_has_in_a_newer_version_is_the_platforms_shared_copy()
    {
        // The folder's System.Text.Json is the netstandard2.0 build the module ships (8.0); .NET has its own, newer.
        var version = Regex.Match(File.ReadAllText(Path.Combine(RepoFiles.Root, "Directory.Packages.props")), "\"System.Text.Json\" Version=\"([^\"]+)\"").Groups[1].Value;
        var package = Path.Combine(NuGetPackages(), "system.text.json", version, "lib", "netstandard2.0", "System.Text.Json.dll");
        File.Copy(package, Path.Combine(_folder.FullName, "System.Text.Json.dll"));
        var platform = new Dictionary<string, string> { ["System.Text.Json"] = typeof(System.Text.Json.JsonSerializer).Assembly.Location };
        var context = new DependencyLoadContext(new DependencyFolder(_folder.FullName), platform);

        var loaded = context.LoadFromAssemblyName(new AssemblyName("System.Text.Json, Version=8.0.0.0"));

        Assert.Same(typeof(System.Text.Json.JsonSerializer).Assembly, loaded);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(loaded));
    }

    [Fact]
    public void What_the_module_does_not_ship_comes_from_the_default_context()
    {
        var context = new DependencyLoadContext(new DependencyFolder(_folder.FullName));

        var loaded = context.LoadFromAssemblyName(new AssemblyName("System.Net.Http"));

        Assert.Same(typeof(HttpClient).Assembly, loaded);
    }

    private string Copy(Assembly assembly)
    {
        var path = Path.Combine(_folder.FullName, Path.GetFileName(assembly.Location));
        File.Copy(assembly.Location, path);
        return path;
    }

    private static string NuGetPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
