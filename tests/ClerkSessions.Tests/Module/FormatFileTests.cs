using System.Xml.Linq;

namespace ClerkSessions.Tests.Module;

/// <summary>ClerkSessions.Format.ps1xml: well-formed, selecting real types, naming only properties those types have.</summary>
public sealed class FormatFileTests
{
    private static readonly XDocument Formats = XDocument.Load(Path.Combine(RepoFiles.Root, "src", "ClerkSessions", "ClerkSessions.Format.ps1xml"));

    [Fact]
    public void Every_view_selects_a_module_type_and_names_only_its_properties()
    {
        var views = Formats.Descendants("View").ToList();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeNames = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(element => element.Value).ToList();
            var typeName = typeNames[0];

            // Sessions that come back from jobs, remoting or Import-Clixml keep their views.
            Assert.Equal(new[] { typeName, "Deserialized." + typeName }, typeNames);
            var type = FindType(typeName);
            Assert.True(type is not null, $"{typeName} is not a type of the module");
            foreach (var property in view.Descendants("PropertyName").Select(element => element.Value))
            {
                Assert.True(type!.GetProperty(property) is not null, $"{typeName} has no property {property}");
            }

            foreach (var script in view.Descendants("ScriptBlock").Select(element => element.Value))
            {
                foreach (var property in System.Text.RegularExpressions.Regex.Matches(script, @"\$_\.(\w+)").Select(match => match.Groups[1].Value))
                {
                    Assert.True(type!.GetProperty(property) is not null, $"{typeName} has no property {property} (script block)");
                }
            }
        }
    }

    [Fact]
    public void Sessions_have_a_table_grouped_by_user_and_a_list_view()
    {
        var sessionViews = Formats.Descendants("View").Where(view => view.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "ClerkSessions.Core.Models.ClerkSession").ToList();

        // Whether the rows fit 80 and 120 columns is for the engine to say: the Pester suite renders them.
        var table = Assert.Single(sessionViews, view => view.Element("TableControl") is not null);
        Assert.Equal("UserId", table.Element("GroupBy")?.Element("PropertyName")?.Value);
        var labels = new[] { "Id", "Status", "LastActiveAt", "ExpireAt" };
        Assert.Equal(labels, table.Descendants("TableColumnHeader").Select(header => header.Element("Label")!.Value));

        // Each column shows the property it is named after, directly or through a script block.
        var items = table.Descendants("TableColumnItem").ToList();
        Assert.Equal(labels.Length, items.Count);
        for (var index = 0; index < labels.Length; index++)
        {
            var shown = items[index].Element("PropertyName")?.Value ?? items[index].Element("ScriptBlock")!.Value;
            Assert.Contains(labels[index], shown, StringComparison.Ordinal);
        }

        Assert.Single(sessionViews, view => view.Element("ListControl") is not null);
    }

    [Theory]
    [InlineData("ClerkSessions.Core.Models.ClerkSessionActivity")]
    [InlineData("ClerkSessions.Core.Models.ClerkSessionToken")]
    [InlineData("ClerkSessions.Core.Models.ClerkSessionCookies")]
    [InlineData("ClerkSessions.Connections.ClerkConnection")]
    public void Every_output_type_has_a_view(string typeName)
    {
        Assert.Contains(Formats.Descendants("TypeName"), element => element.Value == typeName);
    }

    [Fact]
    public void No_view_shows_a_secret()
    {
        var shown = Formats.Descendants("PropertyName").Select(element => element.Value).ToList();

        Assert.DoesNotContain("Token", shown);
        Assert.DoesNotContain("Cookies", shown);
        Assert.DoesNotContain("Key", shown);
    }

    private static Type? FindType(string fullName) =>
        new[] { typeof(ClerkSessions.Core.ClerkSessionsClient).Assembly, typeof(ClerkSessions.Cmdlets.ClerkCmdlet).Assembly, typeof(ClerkSessions.Emulator.ClerkEmulator).Assembly }
            .Select(assembly => assembly.GetType(fullName))
            .FirstOrDefault(type => type is not null);
}
