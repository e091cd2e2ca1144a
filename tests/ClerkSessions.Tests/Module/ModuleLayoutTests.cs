using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClerkSessions.Tests.Module;

/// <summary>What build.ps1 stages and what the manifest declares, checked without PowerShell.</summary>
public sealed class ModuleLayoutTests
{
    [Fact]
    public void The_allow_list_in_build_ps1_is_exactly_the_runtime_assemblies_of_the_module()
    {
        var allowList = ModuleFilesInBuildScript().Where(name => name.EndsWith(".dll", StringComparison.Ordinal)).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var runtimeAssemblies = RuntimeAssembliesOfTheModule();

        // The engine assembly appears in the build's deps.json but is supplied by the PowerShell that imports the module.
        runtimeAssemblies.Remove("System.Management.Automation.dll");

        Assert.Equal(runtimeAssemblies.OrderBy(name => name, StringComparer.Ordinal), allowList.OrderBy(name => name, StringComparer.Ordinal));
        Assert.DoesNotContain("System.Management.Automation.dll", allowList);
    }

    [Fact]
    public void Only_the_modules_own_assemblies_sit_beside_the_manifest_and_every_library_sits_in_dependencies()
    {
        var assemblies = ModuleFilesInBuildScript().Where(name => name.EndsWith(".dll", StringComparison.Ordinal)).ToList();

        // PowerShell probes the module's own folder and loads from it into the context every module shares.
        Assert.All(assemblies.Where(name => !name.Contains('/')), name => Assert.StartsWith("ClerkSessions", name, StringComparison.Ordinal));
        Assert.DoesNotContain("ClerkSessions.Isolated.dll", assemblies);
        Assert.Contains(ClerkSessions.Loading.DependencyLoader.FolderName + "/ClerkSessions.Isolated.dll", assemblies);
        Assert.Contains(ClerkSessions.Loading.DependencyLoader.FolderName + "/Microsoft.Extensions.Http.dll", assemblies);
        Assert.All(assemblies.Where(name => name.Contains('/')), name => Assert.StartsWith(ClerkSessions.Loading.DependencyLoader.FolderName + "/", name, StringComparison.Ordinal));
    }

    [Fact]
    public void What_PowerShell_reads_at_import_needs_nothing_from_dependencies()
    {
        // PowerShell reads every type of the cmdlet assembly (with its base type and interfaces) before the loader in
        // it runs; were one of them to come from dependencies/, Windows PowerShell could not find it at that moment.
        var beside = new[] { "netstandard", "System.Management.Automation", "ClerkSessions.Core", "ClerkSessions.Emulator" };
        using var file = File.OpenRead(typeof(ClerkSessions.Cmdlets.ClerkCmdlet).Assembly.Location);
        using var pe = new System.Reflection.PortableExecutable.PEReader(file);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);

        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            var bases = type.GetInterfaceImplementations().Select(implementation => metadata.GetInterfaceImplementation(implementation).Interface).Append(type.BaseType);
            foreach (var reference in bases.Where(reference => !reference.IsNil))
            {
                if (AssemblyOf(metadata, reference) is { } assembly)
                {
                    needed.Add(assembly);
                }
            }
        }

        Assert.Contains("System.Management.Automation", needed);
        Assert.All(needed, assembly => Assert.Contains(assembly, beside));
    }

    // The assembly a base type or interface comes from, generic arguments aside; null for the assembly's own types.
    private static string? AssemblyOf(System.Reflection.Metadata.MetadataReader metadata, System.Reflection.Metadata.EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case System.Reflection.Metadata.HandleKind.TypeReference:
                var reference = metadata.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)handle);
                return reference.ResolutionScope.Kind switch
                {
                    System.Reflection.Metadata.HandleKind.AssemblyReference =>
                        metadata.GetString(metadata.GetAssemblyReference((System.Reflection.Metadata.AssemblyReferenceHandle)reference.ResolutionScope).Name),
                    System.Reflection.Metadata.HandleKind.TypeReference => AssemblyOf(metadata, (System.Reflection.Metadata.TypeReferenceHandle)reference.ResolutionScope),
                    _ => null,
                };
            case System.Reflection.Metadata.HandleKind.TypeSpecification:
                // A generic instance: its generic type definition decides which assembly must be found.
                var blob = metadata.GetBlobReader(metadata.GetTypeSpecification((System.Reflection.Metadata.TypeSpecificationHandle)handle).Signature);
                if (blob.ReadSignatureTypeCode() == System.Reflection.Metadata.SignatureTypeCode.GenericTypeInstance)
                {
                    blob.ReadSignatureTypeCode();
                    return AssemblyOf(metadata, blob.ReadTypeHandle());
                }

                return null;
            default:
                return null;
        }
    }

    [Fact]
    public void The_manifest_version_is_the_build_version()
    {
        var props = File.ReadAllText(Path.Combine(RepoFiles.Root, "Directory.Build.props"));
        var manifest = File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1"));

        var buildVersion = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        var moduleVersion = Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;

        Assert.False(string.IsNullOrEmpty(buildVersion));
        Assert.Equal(buildVersion, moduleVersion);
        Assert.Equal(buildVersion, typeof(ClerkSessions.Core.ClerkSessionsClient).Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void The_manifest_exports_nothing_by_wildcard()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1"));

        foreach (var key in new[] { "CmdletsToExport", "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
        {
            var value = Regex.Match(manifest, key + @"\s*=\s*(@\([^)]*\)|'[^']*')");
            Assert.True(value.Success, $"{key} is missing from the manifest");
            Assert.DoesNotContain("*", value.Groups[1].Value);
        }

        Assert.Matches(@"RootModule\s*=\s*'ClerkSessions\.dll'", manifest);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Desktop',\s*'Core'\)", manifest);
        Assert.Matches(@"PowerShellVersion\s*=\s*'5\.1'", manifest);
    }

    [Fact]
    public void The_allow_list_ships_the_format_and_types_files_the_manifest_loads_and_the_build_copies_them()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1"));
        var formatFiles = ManifestList(manifest, "FormatsToProcess");
        var typesFiles = ManifestList(manifest, "TypesToProcess");
        var nonAssemblies = ModuleFilesInBuildScript().Where(name => !name.EndsWith(".dll", StringComparison.Ordinal)).OrderBy(name => name, StringComparer.Ordinal);

        Assert.Equal(new[] { "ClerkSessions.Format.ps1xml" }, formatFiles);
        Assert.Equal(new[] { "ClerkSessions.Types.ps1xml" }, typesFiles);
        Assert.Equal(formatFiles.Concat(typesFiles).OrderBy(name => name, StringComparer.Ordinal), nonAssemblies);
        var project = File.ReadAllText(Path.Combine(RepoFiles.Root, "src", "ClerkSessions", "ClerkSessions.csproj"));
        foreach (var file in formatFiles.Concat(typesFiles))
        {
            Assert.Contains(file + "\" CopyToOutputDirectory=\"PreserveNewest\" CopyToPublishDirectory=\"PreserveNewest\"", project, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_manifest_names_project_and_licence_and_the_licence_exists()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1"));

        Assert.Matches(@"ProjectUri\s*=\s*'https://", manifest);
        Assert.Matches(@"LicenseUri\s*=\s*'https://[^']+/LICENSE'", manifest);
        Assert.Matches(@"ReleaseNotes\s*=\s*'[^']+'", manifest);
        Assert.True(File.Exists(Path.Combine(RepoFiles.Root, "LICENSE")));
    }

    private static List<string> ManifestList(string manifest, string key) =>
        Regex.Matches(Regex.Match(manifest, key + @"\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value, "'([^']+)'").Select(match => match.Groups[1].Value).ToList();

    private static HashSet<string> ModuleFilesInBuildScript()
    {
        var script = File.ReadAllText(Path.Combine(RepoFiles.Root, "build.ps1"));
        var block = Regex.Match(script, "# module-files-begin(?<list>.*?)# module-files-end", RegexOptions.Singleline);
        Assert.True(block.Success, "build.ps1 has no module-files block");
        return Regex.Matches(block.Groups["list"].Value, "'([^']+)'").Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The runtime assets in the cmdlet project's deps.json: what the module needs at run time.</summary>
    private static HashSet<string> RuntimeAssembliesOfTheModule()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var depsFile = Path.Combine(RepoFiles.Root, "src", "ClerkSessions", "bin", configuration, "netstandard2.0", "ClerkSessions.deps.json");
        Assert.True(File.Exists(depsFile), $"{depsFile} was not built");

        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        return deps.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject())
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject())
            .Select(asset => Path.GetFileName(asset.Name))
            .ToHashSet(StringComparer.Ordinal);
    }
}
