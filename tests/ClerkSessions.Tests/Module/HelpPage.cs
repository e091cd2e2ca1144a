using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace ClerkSessions.Tests.Module;

/// <summary>
/// A PlatyPS v1 markdown page (schema 2024-05-01) read the way PlatyPS reads it: YAML front matter, headings outside
/// code fences, fenced blocks with their language, and each parameter's YAML block deserialised strictly (PlatyPS
/// rejects unknown keys too).
/// </summary>
internal sealed class HelpPage
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    private HelpPage(string path, IReadOnlyDictionary<string, string> frontMatter, string? title, IReadOnlyList<HelpSection> sections)
    {
        Path = path;
        FrontMatter = frontMatter;
        Title = title;
        Sections = sections;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    /// <summary>The H1.</summary>
    public string? Title { get; }

    /// <summary>The H2 sections, in order.</summary>
    public IReadOnlyList<HelpSection> Sections { get; }

    public static string DocsFolder => System.IO.Path.Combine(RepoFiles.Root, "docs");

    public static string PathOf(string name) => System.IO.Path.Combine(DocsFolder, name + ".md");

    public HelpSection Section(string name) =>
        Sections.SingleOrDefault(section => section.Name == name) ?? throw new InvalidOperationException($"{Path} has no '## {name}' section.");

    public static HelpPage Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "---")
        {
            throw new InvalidOperationException($"{path} does not start with YAML front matter.");
        }

        var end = Array.IndexOf(lines, "---", 1);
        if (end < 0)
        {
            throw new InvalidOperationException($"{path}: the front matter is not closed.");
        }

        var frontMatter = Yaml.Deserialize<Dictionary<string, string?>>(string.Join("\n", lines.Skip(1).Take(end - 1)))
            .ToDictionary(pair => pair.Key, pair => pair.Value ?? "", StringComparer.Ordinal);

        string? title = null;
        var sections = new List<HelpSection>();
        HelpSection? section = null;
        HelpSection? subsection = null;
        HelpBlock? block = null;
        for (var index = end + 1; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (block is null)
                {
                    block = new HelpBlock(line.Substring(3).Trim());
                }
                else
                {
                    ((IList<HelpBlock>?)subsection?.Blocks ?? section?.Blocks)?.Add(block);
                    block = null;
                }

                continue;
            }

            if (block is not null)
            {
                block.Lines.Add(line);
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                title = line.Substring(2).Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = new HelpSection(line.Substring(3).Trim());
                subsection = null;
                sections.Add(section);
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal) && section is not null)
            {
                subsection = new HelpSection(line.Substring(4).Trim());
                section.Subsections.Add(subsection);
            }
            else if (line.StartsWith("#", StringComparison.Ordinal) && section is not null)
            {
                throw new InvalidOperationException($"{path}:{index + 1}: PlatyPS reads an example or parameter only up to the next heading; '{line}' would cut it short.");
            }
            else
            {
                (subsection?.Text ?? section?.Text)?.Add(line);
            }
        }

        if (block is not null)
        {
            throw new InvalidOperationException($"{path}: a code fence is not closed.");
        }

        return new HelpPage(path, frontMatter, title, sections);
    }

    public static ParameterYaml ReadParameterYaml(string yaml) => Yaml.Deserialize<ParameterYaml>(yaml);

    /// <summary>Every PlatyPS page in docs/ (command pages, the module page, the about topic): those with front matter.</summary>
    public static IEnumerable<HelpPage> ReadAll() =>
        Directory.GetFiles(DocsFolder, "*.md").Where(path => File.ReadLines(path).FirstOrDefault() == "---").Select(Read);

    public IEnumerable<HelpBlock> AllBlocks => Sections.SelectMany(section => section.AllBlocks);
}

/// <summary>An H2 section, or an H3 inside one (which then has no subsections of its own).</summary>
internal sealed class HelpSection
{
    public HelpSection(string name) => Name = name;

    public string Name { get; }
    public List<string> Text { get; } = new();
    public List<HelpBlock> Blocks { get; } = new();
    public List<HelpSection> Subsections { get; } = new();

    public string Prose => Regex.Replace(string.Join("\n", Text), @"\s+", " ").Trim();

    /// <summary>The fenced blocks of the section and of its subsections, in order.</summary>
    public IEnumerable<HelpBlock> AllBlocks => Blocks.Concat(Subsections.SelectMany(subsection => subsection.Blocks));
}

internal sealed class HelpBlock
{
    public HelpBlock(string language) => Language = language;

    public string Language { get; }
    public List<string> Lines { get; } = new();
    public string Content => string.Join("\n", Lines);
}

/// <summary>The YAML block under <c>### -Name</c>, with exactly the keys PlatyPS v1 writes and accepts.</summary>
internal sealed class ParameterYaml
{
    public string Type { get; set; } = "";
    public string DefaultValue { get; set; } = "";
    public bool SupportsWildcards { get; set; }
    public List<string> ParameterValue { get; set; } = new();
    public List<string> Aliases { get; set; } = new();
    public List<ParameterSetYaml> ParameterSets { get; set; } = new();
    public bool DontShow { get; set; }
    public List<string> AcceptedValues { get; set; } = new();
    public string HelpMessage { get; set; } = "";
}

internal sealed class ParameterSetYaml
{
    public string Name { get; set; } = "";
    public string Position { get; set; } = "";
    public bool IsRequired { get; set; }
    public bool ValueFromPipeline { get; set; }
    public bool ValueFromPipelineByPropertyName { get; set; }
    public bool ValueFromRemainingArguments { get; set; }
}
