using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ClerkSessions.Tests.Module;

/// <summary>
/// The docs/ markdown (the source of the module's MAML help) against the cmdlet classes: a parameter added, renamed,
/// moved to another set or given other pipeline binding fails here until its page says so.
/// </summary>
public sealed class HelpDocsTests
{
    private static readonly string[] PlatyPSSections =
        { "SYNOPSIS", "SYNTAX", "ALIASES", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    public static TheoryData<string> CmdletNames() => CmdletMetadataTests.CmdletNames();

    [Fact]
    public void Every_exported_cmdlet_has_a_page_and_every_page_is_an_exported_cmdlet()
    {
        var pages = Directory.GetFiles(HelpPage.DocsFolder, "*-*.md")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .OrderBy(name => name, StringComparer.Ordinal);

        Assert.Equal(CmdletMetadata.All.Select(cmdlet => cmdlet.Name), pages);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_page_has_PlatyPS_v1_front_matter_and_sections_in_order(string name)
    {
        var page = HelpPage.Read(HelpPage.PathOf(name));

        Assert.Equal("cmdlet", page.FrontMatter["document type"]);
        Assert.Equal("ClerkSessions.dll-Help.xml", page.FrontMatter["external help file"]);
        Assert.Equal("ClerkSessions", page.FrontMatter["Module Name"]);
        Assert.Equal("en-US", page.FrontMatter["Locale"]);
        Assert.Equal("2024-05-01", page.FrontMatter["PlatyPS schema version"]);
        Assert.Equal(name, page.FrontMatter["title"]);
        Assert.True(page.FrontMatter.ContainsKey("HelpUri"), "PlatyPS reports a page without HelpUri as an error.");
        Assert.Matches(@"^\d{2}/\d{2}/\d{4}$", page.FrontMatter["ms.date"]);
        Assert.Equal(name, page.Title);
        Assert.Equal(PlatyPSSections, page.Sections.Select(section => section.Name));
        foreach (var section in new[] { "SYNOPSIS", "DESCRIPTION", "NOTES" })
        {
            Assert.False(string.IsNullOrWhiteSpace(page.Section(section).Prose), $"{name}: ## {section} is empty.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_syntax_shows_each_parameter_set_with_its_parameters_as_the_code_declares_them(string name)
    {
        var cmdlet = CmdletMetadata.Of(name);
        var syntax = HelpPage.Read(HelpPage.PathOf(name)).Section("SYNTAX");
        var parameters = DocumentedParameter.Of(cmdlet);
        var sets = parameters.SelectMany(parameter => parameter.Sets.Select(set => set.Name)).Where(set => set != CmdletMetadata.AllSets).Distinct().ToList();
        if (sets.Count == 0)
        {
            sets.Add(CmdletMetadata.AllSets);
        }

        var headings = syntax.Subsections.Select(subsection => subsection.Name).ToList();
        var expectedHeadings = sets.Select(set => set == cmdlet.DefaultParameterSetName ? set + " (Default)" : set);
        Assert.Equal(expectedHeadings.OrderBy(heading => heading, StringComparer.Ordinal), headings.OrderBy(heading => heading, StringComparer.Ordinal));

        foreach (var subsection in syntax.Subsections)
        {
            var set = subsection.Name.Replace(" (Default)", "");
            var block = Assert.Single(subsection.Blocks);
            var shown = SyntaxParameter.Parse(string.Join(" ", block.Lines), name);
            var expected = parameters
                .Select(parameter => (parameter, set: parameter.In(set)))
                .Where(pair => pair.set is not null)
                .Select(pair => new SyntaxParameter(pair.parameter.Name, pair.set!.Mandatory, pair.set.Position != int.MinValue))
                .OrderBy(parameter => parameter.Name, StringComparer.Ordinal);

            Assert.Equal(expected, shown.OrderBy(parameter => parameter.Name, StringComparer.Ordinal));
            var positional = parameters.Where(parameter => parameter.In(set)?.Position is int position && position != int.MinValue)
                .OrderBy(parameter => parameter.In(set)!.Position)
                .Select(parameter => parameter.Name);
            Assert.Equal(positional, shown.Where(parameter => parameter.Positional).Select(parameter => parameter.Name));
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_documented_under_its_name_and_nothing_else_is(string name)
    {
        var documented = HelpPage.Read(HelpPage.PathOf(name)).Section("PARAMETERS").Subsections
            .Select(subsection => subsection.Name)
            .Where(heading => heading != "CommonParameters")
            .ToList();

        Assert.All(documented, heading => Assert.StartsWith("-", heading, StringComparison.Ordinal));
        Assert.Equal(
            DocumentedParameter.Of(CmdletMetadata.Of(name)).Select(parameter => "-" + parameter.Name).OrderBy(heading => heading, StringComparer.OrdinalIgnoreCase),
            documented);
        Assert.Contains("CommonParameters", HelpPage.Read(HelpPage.PathOf(name)).Section("PARAMETERS").Subsections.Select(subsection => subsection.Name));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_parameter_block_states_the_type_aliases_sets_pipeline_input_and_accepted_values_of_the_code(string name)
    {
        var section = HelpPage.Read(HelpPage.PathOf(name)).Section("PARAMETERS");
        foreach (var parameter in DocumentedParameter.Of(CmdletMetadata.Of(name)))
        {
            var subsection = section.Subsections.Single(candidate => candidate.Name == "-" + parameter.Name);
            Assert.False(string.IsNullOrWhiteSpace(subsection.Prose), $"{name} -{parameter.Name} has no description.");
            var block = Assert.Single(subsection.Blocks);
            Assert.Equal("yaml", block.Language);
            var yaml = HelpPage.ReadParameterYaml(block.Content);

            var because = $"{name} -{parameter.Name}";
            Assert.True(parameter.TypeName == yaml.Type, $"{because}: Type {yaml.Type}, code {parameter.TypeName}");
            Assert.Equal(parameter.Aliases, yaml.Aliases);
            Assert.Equal(parameter.AcceptedValues, yaml.AcceptedValues);
            Assert.True(parameter.DefaultValue == yaml.DefaultValue, $"{because}: DefaultValue {yaml.DefaultValue}, code {parameter.DefaultValue}");
            Assert.Equal(
                parameter.Sets.Select(set => (Name: set.Name == CmdletMetadata.AllSets ? "(All)" : set.Name, Position: set.Position == int.MinValue ? "Named" : set.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), set.Mandatory, set.ValueFromPipeline, set.ValueFromPipelineByPropertyName)).OrderBy(set => set.Name, StringComparer.Ordinal),
                yaml.ParameterSets.Select(set => (set.Name, set.Position, Mandatory: set.IsRequired, set.ValueFromPipeline, set.ValueFromPipelineByPropertyName)).OrderBy(set => set.Name, StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_page_has_at_least_two_examples_each_with_a_command_and_its_output(string name)
    {
        var examples = HelpPage.Read(HelpPage.PathOf(name)).Section("EXAMPLES").Subsections;

        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s).");
        for (var index = 0; index < examples.Count; index++)
        {
            var example = examples[index];
            Assert.StartsWith($"Example {index + 1} - ", example.Name, StringComparison.Ordinal);
            Assert.Equal("powershell", example.Blocks.First().Language);
            Assert.Contains(name, example.Blocks.First().Content, StringComparison.Ordinal);
            Assert.Contains(example.Blocks, block => block.Language == "Output" && block.Lines.Any(line => line.Trim().Length > 0));
        }
    }

    [Fact]
    public void Examples_only_use_parameters_the_cmdlets_have()
    {
        var parameterNames = CmdletMetadata.All.ToDictionary(
            cmdlet => cmdlet.Name,
            cmdlet => DocumentedParameter.Of(cmdlet).SelectMany(parameter => new[] { parameter.Name }.Concat(parameter.Aliases)).ToHashSet(StringComparer.OrdinalIgnoreCase));
        var checkedCalls = 0;
        foreach (var page in HelpPage.ReadAll())
        {
            var code = string.Join("\n", page.AllBlocks.Where(block => block.Language == "powershell").Select(block => block.Content));
            foreach (var call in ExampleCall.Find(code, parameterNames.Keys))
            {
                checkedCalls++;
                foreach (var used in call.Parameters)
                {
                    Assert.True(
                        parameterNames[call.Cmdlet].Contains(used) || CommonParameters.Contains(used),
                        $"{Path.GetFileName(page.Path)}: {call.Cmdlet} has no parameter -{used}.");
                }
            }
        }

        Assert.True(checkedCalls > 20, $"only {checkedCalls} cmdlet calls were found in the examples");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Outputs_name_every_declared_output_type_and_inputs_are_described(string name)
    {
        var page = HelpPage.Read(HelpPage.PathOf(name));
        var outputs = page.Section("OUTPUTS").Subsections.Select(subsection => subsection.Name).ToList();

        Assert.Equal(CmdletMetadata.Of(name).OutputTypes.Select(type => type.FullName).OrderBy(type => type, StringComparer.Ordinal), outputs.OrderBy(type => type, StringComparer.Ordinal));
        Assert.All(page.Section("OUTPUTS").Subsections, subsection => Assert.False(string.IsNullOrWhiteSpace(subsection.Prose), $"{name} OUTPUTS {subsection.Name}"));
        Assert.NotEmpty(page.Section("INPUTS").Subsections);
        Assert.All(page.Section("INPUTS").Subsections, subsection => Assert.False(string.IsNullOrWhiteSpace(subsection.Prose), $"{name} INPUTS {subsection.Name}"));
        Assert.Contains(page.Section("RELATED LINKS").Text, line => Regex.IsMatch(line, @"^- \[[^\]]+\]\([^)]+\)$"));
    }

    [Fact]
    public void Example_output_shows_only_messages_error_ids_and_confirmations_the_code_can_write()
    {
        var checkedLines = 0;
        foreach (var page in HelpPage.ReadAll())
        {
            var file = Path.GetFileName(page.Path);
            foreach (var line in page.AllBlocks.SelectMany(block => block.Lines))
            {
                if (line.StartsWith("VERBOSE: ", StringComparison.Ordinal))
                {
                    checkedLines++;
                    Assert.True(SourceMessages.CanWrite(line.Substring("VERBOSE: ".Length)), $"{file}: no message in src/ reads like '{line}'");
                }

                if (Regex.Match(line, @"What if: Performing the operation ""(?<action>[^""]+)"" on target ""(?<target>.+)""\.") is { Success: true } whatIf)
                {
                    checkedLines++;
                    var action = whatIf.Groups["action"].Value;
                    Assert.True((SourceMessages.HasLiteral(action) || SourceMessages.CanWrite(action)) && SourceMessages.CanWrite(whatIf.Groups["target"].Value), $"{file}: no ShouldProcess in src/ asks '{line}'");
                }

                foreach (Match errorId in Regex.Matches(line, @"\b(?<id>Clerk[A-Za-z]+),ClerkSessions\.Cmdlets\.(?<type>[A-Za-z]+Command)\b"))
                {
                    checkedLines++;
                    Assert.True(SourceMessages.HasLiteral(errorId.Groups["id"].Value), $"{file}: no error id {errorId.Groups["id"].Value} in src/");
                    Assert.Contains(CmdletMetadata.All, cmdlet => cmdlet.Type.Name == errorId.Groups["type"].Value);
                }
            }
        }

        Assert.True(checkedLines >= 10, $"only {checkedLines} lines of example output were checked");
    }

    [Fact]
    public void The_module_page_lists_every_cmdlet_with_its_synopsis()
    {
        var page = HelpPage.Read(HelpPage.PathOf("ClerkSessions"));
        var listed = page.Section("ClerkSessions Cmdlets").Subsections;

        Assert.Equal("module", page.FrontMatter["document type"]);
        Assert.Equal("ClerkSessions Module", page.FrontMatter["title"]);
        Assert.Equal(ManifestValue("GUID"), page.FrontMatter["Module Guid"]);
        Assert.Equal(CmdletMetadata.All.Select(cmdlet => $"[{cmdlet.Name}]({cmdlet.Name}.md)"), listed.Select(subsection => subsection.Name));
        foreach (var entry in listed)
        {
            var name = Regex.Match(entry.Name, @"^\[([^\]]+)\]").Groups[1].Value;
            Assert.Equal(HelpPage.Read(HelpPage.PathOf(name)).Section("SYNOPSIS").Prose, entry.Prose);
        }
    }

    [Fact]
    public void The_about_topic_covers_what_the_module_asks_of_its_users()
    {
        var page = HelpPage.Read(HelpPage.PathOf("about_ClerkSessions"));

        Assert.Equal("about_ClerkSessions", page.FrontMatter["title"]);
        Assert.Equal("about_ClerkSessions", page.Title);
        Assert.Equal(new[] { "Short description", "Long description", "See also" }, page.Sections.Select(section => section.Name));
        Assert.False(string.IsNullOrWhiteSpace(page.Section("Short description").Prose));
        Assert.Equal(
            new[] { "Connecting and secrets", "Connections, runspaces and several instances", "Rate limits and retries", "Paging", "Bulk revoke safety", "Bulk revoke under faults", "Errors", "The retired verify endpoint", "Beside other modules", "The emulator" },
            page.Section("Long description").Subsections.Select(subsection => subsection.Name));
        Assert.All(page.Section("Long description").Subsections, subsection => Assert.True(subsection.Prose.Length > 200, $"'{subsection.Name}' says next to nothing"));
        var text = string.Join(" ", page.Sections.Select(section => section.Prose + " " + string.Join(" ", section.Subsections.Select(subsection => subsection.Prose))));
        foreach (var term in new[] { "CLERK_SECRET_KEY", "Retry-After", "-First", "-WhatIf", "-Force", "410", "Test-ClerkSessionToken", "GET /jwks", "-Connection", "ForEach-Object -Parallel",
            "Start-ClerkEmulator", "Reset-ClerkEmulator", "Stop-ClerkEmulator", "Add-ClerkEmulatorFault", "Get-ClerkEmulatorRequest", "BeforeEach", "-Wait", "Windows PowerShell 5.1", "AssemblyLoadContext" })
        {
            Assert.Contains(term, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_readme_links_the_docs_and_no_generated_help_is_committed()
    {
        var readme = File.ReadAllText(Path.Combine(RepoFiles.Root, "README.md"));

        Assert.Contains("docs/about_ClerkSessions.md", readme, StringComparison.Ordinal);
        Assert.Contains("docs/ClerkSessions.md", readme, StringComparison.Ordinal);
        var generated = Directory.EnumerateFiles(RepoFiles.Root, "*-Help.xml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepoFiles.Root, "*.help.txt", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path))
            .ToList();
        Assert.True(generated.Count == 0, "generated help in the source tree: " + string.Join(", ", generated));
    }

    private static bool IsBuildOutput(string path) =>
        Path.GetRelativePath(RepoFiles.Root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "out" or "bin" or "obj");

    private static string ManifestValue(string key) =>
        Regex.Match(File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1")), key + @"\s*=\s*'([^']+)'").Groups[1].Value;
}

/// <summary>A parameter as Get-Help shows it: the cmdlet's own, plus -WhatIf/-Confirm and the paging parameters the engine adds.</summary>
internal sealed record DocumentedParameter(string Name, string TypeName, IReadOnlyList<ParameterSetMetadata> Sets, IReadOnlyList<string> Aliases, IReadOnlyList<string> AcceptedValues, string DefaultValue)
{
    /// <summary>Parameters whose default is the client's, applied when they are not bound.</summary>
    private static readonly Dictionary<(string Cmdlet, string Parameter), string> ClientDefaults = new()
    {
        [("Connect-Clerk", "TimeoutSec")] = ((int)new ClerkSessions.Core.ClerkClientOptions().AttemptTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [("Connect-Clerk", "MaxRetries")] = new ClerkSessions.Core.ClerkClientOptions().MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [("Connect-Clerk", "RateLimitWindowSec")] = ((int)new ClerkSessions.Core.ClerkClientOptions().RateLimitWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ParameterSetMetadata? In(string set) =>
        Sets.SingleOrDefault(candidate => candidate.Name == set) ?? Sets.SingleOrDefault(candidate => candidate.Name == CmdletMetadata.AllSets);

    public static IReadOnlyList<DocumentedParameter> Of(CmdletMetadata cmdlet)
    {
        var instance = Activator.CreateInstance(cmdlet.Type)!;
        var parameters = cmdlet.Parameters.Select(parameter =>
        {
            var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
            var accepted = parameter.ValidateSet ?? (type.IsEnum ? Enum.GetNames(type) : Array.Empty<string>());
            var initial = cmdlet.Type.GetProperty(parameter.Name)!.GetValue(instance);
            var defaultValue = ClientDefaults.TryGetValue((cmdlet.Name, parameter.Name), out var clientDefault) ? clientDefault : Show(initial);
            return new DocumentedParameter(parameter.Name, type.FullName!, parameter.Sets, parameter.Aliases, accepted, defaultValue);
        }).ToList();
        if (cmdlet.SupportsPaging)
        {
            parameters.Add(EngineAdded("IncludeTotalCount", typeof(SwitchParameter)));
            parameters.Add(EngineAdded("Skip", typeof(ulong)));
            parameters.Add(EngineAdded("First", typeof(ulong)));
        }

        if (cmdlet.SupportsShouldProcess)
        {
            parameters.Add(EngineAdded("WhatIf", typeof(SwitchParameter), "wi"));
            parameters.Add(EngineAdded("Confirm", typeof(SwitchParameter), "cf"));
        }

        return parameters;
    }

    private static DocumentedParameter EngineAdded(string name, Type type, params string[] aliases) =>
        new(name, type.FullName!, new[] { new ParameterSetMetadata(CmdletMetadata.AllSets, false, int.MinValue, false, false) }, aliases, Array.Empty<string>(), type == typeof(SwitchParameter) ? "False" : "None");

    /// <summary>How the help shows a property's initial value: None for "not given" (null, empty, or a 0 that means unset).</summary>
    private static string Show(object? value) => value switch
    {
        null => "None",
        SwitchParameter switchParameter => switchParameter.IsPresent ? "True" : "False",
        string text when text.Length == 0 => "None",
        Array array when array.Length == 0 => "None",
        0 => "None",
        TimeSpan span => span.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "None",
    };
}

/// <summary>One parameter of a syntax line, read with PlatyPS's rules: <c>[[-P] &lt;T&gt;]</c>, <c>[-P] &lt;T&gt;</c>, <c>[-P &lt;T&gt;]</c>, <c>-P &lt;T&gt;</c>, <c>-S</c>, <c>[-S]</c>.</summary>
internal sealed record SyntaxParameter(string Name, bool Mandatory, bool Positional)
{
    private static readonly Regex Token = new(
        @"\G\s*(?:\[\[-(?<optpos>\w+)\] <[^>]+>\]|\[-(?<manpos>\w+)\] <[^>]+>|\[-(?<optnamed>\w+) <[^>]+>\]|-(?<mannamed>\w+) <[^>]+>|-(?<manswitch>\w+)(?=\s|$)|\[-(?<switch>\w+)\]|(?<common>\[<CommonParameters>\]))",
        RegexOptions.CultureInvariant);

    public static IReadOnlyList<SyntaxParameter> Parse(string syntax, string cmdlet)
    {
        syntax = syntax.Trim();
        Assert.StartsWith(cmdlet + " ", syntax, StringComparison.Ordinal);
        var rest = syntax.Substring(cmdlet.Length);
        var parameters = new List<SyntaxParameter>();
        var position = 0;
        var common = false;
        for (var match = Token.Match(rest, position); match.Success && match.Length > 0; match = Token.Match(rest, position))
        {
            position = match.Index + match.Length;
            if (match.Groups["optpos"].Success) parameters.Add(new(match.Groups["optpos"].Value, false, true));
            else if (match.Groups["manpos"].Success) parameters.Add(new(match.Groups["manpos"].Value, true, true));
            else if (match.Groups["optnamed"].Success) parameters.Add(new(match.Groups["optnamed"].Value, false, false));
            else if (match.Groups["mannamed"].Success) parameters.Add(new(match.Groups["mannamed"].Value, true, false));
            else if (match.Groups["manswitch"].Success) parameters.Add(new(match.Groups["manswitch"].Value, true, false));
            else if (match.Groups["switch"].Success) parameters.Add(new(match.Groups["switch"].Value, false, false));
            else common = true;
        }

        Assert.True(rest.Substring(position).Trim().Length == 0, $"{cmdlet}: cannot read the syntax from '{rest.Substring(position).Trim()}'");
        Assert.True(common, $"{cmdlet}: the syntax does not end with [<CommonParameters>]");
        return parameters;
    }
}

/// <summary>A call of one of the module's cmdlets in an example, with the parameter names it uses.</summary>
internal sealed record ExampleCall(string Cmdlet, IReadOnlyList<string> Parameters)
{
    public static IEnumerable<ExampleCall> Find(string code, IEnumerable<string> cmdlets)
    {
        var names = new HashSet<string>(cmdlets, StringComparer.OrdinalIgnoreCase);
        code = Regex.Replace(code, "`\r?\n", " ");
        // Parameters end at a pipe, statement end, or a bracket that closes the expression the call sits in.
        foreach (var statement in Regex.Split(code, @"[|;\n(){}]"))
        {
            var command = Regex.Replace(statement, @"^\s*\$\w+\s*=\s*", "");
            var words = Regex.Matches(command, @"'[^']*'|""[^""]*""|\S+").Select(match => match.Value).ToList();
            if (words.Count == 0 || !names.Contains(words[0]))
            {
                continue;
            }

            var parameters = words.Skip(1)
                .Select(word => Regex.Match(word, @"^-(?<name>[A-Za-z]+)(?::.*)?$"))
                .Where(match => match.Success)
                .Select(match => match.Groups["name"].Value)
                .ToList();
            yield return new ExampleCall(names.First(name => string.Equals(name, words[0], StringComparison.OrdinalIgnoreCase)), parameters);
        }
    }
}

/// <summary>The string literals of src/, as patterns: what the module can write, with its placeholders as wildcards.</summary>
internal static class SourceMessages
{
    private static readonly Lazy<(IReadOnlyList<Regex> Patterns, HashSet<string> Literals)> Source = new(Read);

    public static bool CanWrite(string text) => Source.Value.Patterns.Any(pattern => pattern.IsMatch(text));

    public static bool HasLiteral(string text) => Source.Value.Literals.Contains(text);

    private static (IReadOnlyList<Regex>, HashSet<string>) Read()
    {
        var literal = new Regex(@"(?<interpolated>\$)?""(?<text>(?:[^""\\\r\n]|\\.)*)""");
        var patterns = new List<Regex>();
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Path.Combine(RepoFiles.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            foreach (Match match in literal.Matches(File.ReadAllText(file)))
            {
                var text = Unescape(match.Groups["text"].Value);
                literals.Add(text);
                var holes = match.Groups["interpolated"].Success ? @"\{[^{}]*\}" : @"\{\d+(,[^}]*)?(:[^}]*)?\}";
                var pieces = Regex.Split(text, holes);
                if (pieces.Sum(piece => piece.Length) >= 8)
                {
                    patterns.Add(new Regex("^" + string.Join(".*", pieces.Select(Regex.Escape)) + "$", RegexOptions.Singleline));
                }
            }
        }

        return (patterns, literals);
    }

    /// <summary>The escapes messages use; anything else (regex text, verbatim strings) is left as written.</summary>
    private static string Unescape(string text) => Regex.Replace(text, @"\\(u[0-9A-Fa-f]{4}|.)", escape => escape.Groups[1].Value switch
    {
        "n" => "\n",
        "r" => "\r",
        "t" => "\t",
        "\"" => "\"",
        "\\" => "\\",
        var code when code.Length == 5 => ((char)Convert.ToInt32(code.Substring(1), 16)).ToString(),
        _ => escape.Value,
    });
}
