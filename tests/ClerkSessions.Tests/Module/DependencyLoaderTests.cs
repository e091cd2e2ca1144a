using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using ClerkSessions.Loading;

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
    public void A_library_the_platform_lacks_is_the_modules_own_copy_in_its_own_context()
    {
        var shipped = Copy(typeof(Microsoft.Extensions.Primitives.StringValues).Assembly);
        var context = PrivateLoadContext.Create(new DependencyFolder(_folder.FullName), new Dictionary<string, string>())!;

        var found = context.Find(new AssemblyName("Microsoft.Extensions.Primitives, Version=8.0.0.0"))!;

        Assert.Equal("ClerkSessions", AssemblyLoadContext.GetLoadContext(found)!.Name);
        Assert.Equal(shipped, found.Location);
        Assert.NotSame(typeof(Microsoft.Extensions.Primitives.StringValues).Assembly, found);

        // What it references resolves in the same context: the module's copies answer first.
        var dependent = Copy(typeof(Microsoft.Extensions.Options.Options).Assembly);
        var withDependent = PrivateLoadContext.Create(new DependencyFolder(_folder.FullName), new Dictionary<string, string>())!;
        var options = withDependent.Find(new AssemblyName("Microsoft.Extensions.Options"))!;
        var primitivesUsed = options.GetReferencedAssemblies().Single(name => name.Name == "Microsoft.Extensions.Primitives");
        Assert.Same(withDependent.Find(primitivesUsed), AssemblyLoadContext.GetLoadContext(options)!.LoadFromAssemblyName(primitivesUsed));
        Assert.Equal(dependent, options.Location);
    }

    [Theory]
    [InlineData("System.Text.Json")]
    [InlineData("System.Formats.Asn1")]
    public void A_library_the_platform_has_in_an_equal_or_newer_version_is_left_to_the_platform(string library)
    {
        // The folder's copy is the netstandard2.0 build the module ships (8.0); .NET has its own, newer.
        var version = Regex.Match(File.ReadAllText(Path.Combine(RepoFiles.Root, "Directory.Packages.props")), "\"" + Regex.Escape(library) + "\" Version=\"([^\"]+)\"").Groups[1].Value;
        var package = Path.Combine(NuGetPackages(), library.ToLowerInvariant(), version, "lib", "netstandard2.0", library + ".dll");
        File.Copy(package, Path.Combine(_folder.FullName, library + ".dll"));
        Copy(typeof(Microsoft.Extensions.Primitives.StringValues).Assembly);
        var platformAssembly = library == "System.Text.Json" ? typeof(System.Text.Json.JsonSerializer).Assembly : typeof(System.Formats.Asn1.AsnReader).Assembly;
        var platform = new Dictionary<string, string> { [library] = platformAssembly.Location };
        Assert.True(platformAssembly.GetName().Version > AssemblyName.GetAssemblyName(package).Version);

        var context = PrivateLoadContext.Create(new DependencyFolder(_folder.FullName), platform)!;

        Assert.Null(context.Find(new AssemblyName(library + ", Version=8.0.0.0")));
        Assert.NotNull(context.Find(new AssemblyName("Microsoft.Extensions.Primitives")));
    }

    [Fact]
    public void What_the_module_does_not_ship_is_not_its_to_give()
    {
        var context = PrivateLoadContext.Create(new DependencyFolder(_folder.FullName))!;

        Assert.Null(context.Find(new AssemblyName("System.Net.Http")));
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
