using System.Reflection;
using System.Security;
using System.Xml.Linq;

namespace ClerkSessions.Tests.Module;

/// <summary>ClerkSessions.Types.ps1xml: every object with a secret serializes all its properties but the secrets.</summary>
public sealed class TypesFileTests
{
    private static readonly XDocument Types = XDocument.Load(Path.Combine(RepoFiles.Root, "src", "ClerkSessions", "ClerkSessions.Types.ps1xml"));

    private static readonly Assembly[] ModuleAssemblies =
    {
        typeof(ClerkSessions.Core.ClerkSessionsClient).Assembly,
        typeof(ClerkSessions.Cmdlets.ClerkCmdlet).Assembly,
        typeof(ClerkSessions.Emulator.ClerkEmulator).Assembly,
    };

    [Fact]
    public void Each_serialization_set_names_every_property_of_its_type_except_the_secrets()
    {
        var types = Types.Root!.Elements("Type").ToList();
        Assert.NotEmpty(types);
        foreach (var entry in types)
        {
            var name = entry.Element("Name")!.Value;
            var type = ModuleAssemblies.Select(assembly => assembly.GetType(name)).FirstOrDefault(found => found is not null);
            Assert.True(type is not null, $"{name} is not a type of the module");
            var standard = entry.Descendants("MemberSet").Single(set => set.Element("Name")!.Value == "PSStandardMembers");
            Assert.Equal("SpecificProperties", standard.Descendants("NoteProperty").Single(note => note.Element("Name")!.Value == "SerializationMethod").Element("Value")!.Value);
            var serialized = standard.Descendants("PropertySet").Single(set => set.Element("Name")!.Value == "PropertySerializationSet")
                .Descendants("ReferencedProperties").Elements("Name").Select(element => element.Value).OrderBy(value => value, StringComparer.Ordinal);

            var expected = type!.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => !HoldsSecret(property)).Select(property => property.Name).OrderBy(value => value, StringComparer.Ordinal);
            Assert.Equal(expected, serialized);
        }
    }

    [Fact]
    public void Every_module_type_holding_a_SecureString_is_in_the_types_file()
    {
        var listed = Types.Root!.Elements("Type").Select(entry => entry.Element("Name")!.Value).ToHashSet(StringComparer.Ordinal);
        var holding = ModuleAssemblies.SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(HoldsSecret))

            // Cmdlets take secrets as parameters, and Start-ClerkEmulator builds the options from its own: never written.
            .Where(type => !typeof(System.Management.Automation.Cmdlet).IsAssignableFrom(type) && type != typeof(ClerkSessions.Emulator.ClerkEmulatorOptions))
            .Select(type => type.FullName!)
            .ToList();

        Assert.Contains("ClerkSessions.Emulator.ClerkEmulator", holding);
        Assert.All(holding, name => Assert.Contains(name, listed));
    }

    private static bool HoldsSecret(PropertyInfo property) =>
        property.PropertyType == typeof(SecureString) || typeof(IEnumerable<SecureString>).IsAssignableFrom(property.PropertyType);
}
