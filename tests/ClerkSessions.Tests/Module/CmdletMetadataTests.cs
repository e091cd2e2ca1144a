using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using ClerkSessions.Cmdlets;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Module;

/// <summary>What PowerShell reads from the cmdlet classes: names, parameter sets, pipeline binding, ShouldProcess, output types.</summary>
public sealed class CmdletMetadataTests
{
    private static readonly HashSet<string> ApprovedVerbs = typeof(VerbsCommon).Assembly.GetTypes()
        .Where(type => type.Namespace == "System.Management.Automation" && type.Name.StartsWith("Verbs", StringComparison.Ordinal))
        .SelectMany(type => type.GetFields())
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in CmdletMetadata.All)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoFiles.Root, "ClerkSessions.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(match => match.Groups[1].Value).OrderBy(name => name, StringComparer.Ordinal);

        Assert.Equal(CmdletMetadata.All.Select(cmdlet => cmdlet.Name), exported);
        Assert.Equal(17, CmdletMetadata.All.Count);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_uses_an_approved_verb_and_a_Clerk_noun_and_lives_in_its_own_file(string name)
    {
        var cmdlet = CmdletMetadata.Of(name);

        Assert.Contains(cmdlet.Verb, ApprovedVerbs);
        Assert.StartsWith("Clerk", cmdlet.Noun, StringComparison.Ordinal);
        Assert.True(cmdlet.Type.IsSealed);
        Assert.True(typeof(ClerkSessions.Cmdlets.ClerkCmdlet).IsAssignableFrom(cmdlet.Type));
        Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.Type.Name);
        Assert.True(File.Exists(Path.Combine(RepoFiles.Root, "src", "ClerkSessions", "Cmdlets", cmdlet.Type.Name + ".cs")), $"{cmdlet.Type.Name}.cs");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_declares_its_output_type(string name)
    {
        Assert.NotEmpty(CmdletMetadata.Of(name).OutputTypes);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_that_changes_state_supports_WhatIf_and_Confirm(string name)
    {
        var cmdlet = CmdletMetadata.Of(name);
        // PSScriptAnalyzer's state-changing verbs that the module uses, and Revoke.
        var changesState = cmdlet.Verb is "New" or "Update" or "Revoke" or "Set" or "Reset" or "Start" or "Stop";

        Assert.Equal(changesState, cmdlet.SupportsShouldProcess);
    }

    [Fact]
    public void Revoke_asks_for_confirmation_by_default_and_has_Force()
    {
        var revoke = CmdletMetadata.Of("Revoke-ClerkSession");

        Assert.Equal(ConfirmImpact.High, revoke.ConfirmImpact);
        Assert.Equal(typeof(SwitchParameter), revoke.Parameter("Force").Type);
        Assert.Equal("ById", revoke.DefaultParameterSetName);
        Assert.Equal(new[] { typeof(ClerkSession) }, revoke.OutputTypes);
    }

    [Fact]
    public void Get_has_an_id_set_and_a_paged_list_set()
    {
        var get = CmdletMetadata.Of("Get-ClerkSession");

        Assert.True(get.SupportsPaging);
        Assert.Equal("ById", get.DefaultParameterSetName);
        Assert.Equal(new ParameterSetMetadata("ById", true, 0, true, true), get.Parameter("SessionId").In("ById"));
        Assert.Contains("Id", get.Parameter("SessionId").Aliases);
        foreach (var name in new[] { "UserId", "ClientId", "Status", "PageSize" })
        {
            var set = Assert.Single(get.Parameter(name).Sets);
            Assert.Equal("List", set.Name);
            Assert.False(set.Mandatory);
        }
    }

    [Fact]
    public void Get_Status_offers_exactly_the_statuses_Clerk_filters_by()
    {
        var statuses = CmdletMetadata.Of("Get-ClerkSession").Parameter("Status").ValidateSet;

        Assert.Equal(ClerkSessionStatus.Filterable.Order(StringComparer.Ordinal), statuses!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Get_PageSize_is_limited_to_what_Clerk_accepts()
    {
        var range = CmdletMetadata.Of("Get-ClerkSession").Parameter("PageSize").ValidateRange;

        Assert.Equal((1, 500), ((int)range!.Value.Min, (int)range.Value.Max));
        Assert.Equal((SessionListQuery.MinLimit, SessionListQuery.MaxLimit), ((int)range.Value.Min, (int)range.Value.Max));
        Assert.Equal(100, new ClerkSessions.Cmdlets.GetClerkSessionCommand().PageSize);
        Assert.Equal(SessionListQuery.DefaultLimit, new ClerkSessions.Cmdlets.GetClerkSessionCommand().PageSize);
    }

    [Fact]
    public void Test_ClerkSession_tests_session_ids_only()
    {
        var test = CmdletMetadata.Of("Test-ClerkSession");

        Assert.Equal(new[] { "Connection", "SessionId" }, test.Parameters.Select(parameter => parameter.Name).Order(StringComparer.Ordinal));
        Assert.Equal(new ParameterSetMetadata(CmdletMetadata.AllSets, true, 0, true, true), Assert.Single(test.Parameter("SessionId").Sets));
        Assert.Equal(typeof(string[]), test.Parameter("SessionId").Type);
    }

    [Fact]
    public void Test_ClerkSessionToken_verifies_locally_by_default_and_at_the_retired_endpoint_in_its_own_set()
    {
        var test = CmdletMetadata.Of("Test-ClerkSessionToken");

        Assert.Equal("ByToken", test.DefaultParameterSetName);
        // A piped token object binds by property name: its Token to -Token, its SessionId to -SessionId. Nothing binds
        // by value, so no other object is ever turned into text and verified.
        Assert.Equal(new ParameterSetMetadata("ByToken", true, 0, false, true), test.Parameter("Token").In("ByToken"));
        Assert.Equal(new ParameterSetMetadata("ByVerifyEndpoint", true, 0, false, true), test.Parameter("Token").In("ByVerifyEndpoint"));
        Assert.Equal(new ParameterSetMetadata("ByToken", false, int.MinValue, false, true), test.Parameter("SessionId").In("ByToken"));
        Assert.Equal(new ParameterSetMetadata("ByVerifyEndpoint", true, int.MinValue, false, true), test.Parameter("SessionId").In("ByVerifyEndpoint"));
        Assert.Equal(new ParameterSetMetadata("ByVerifyEndpoint", true, int.MinValue, false, false), Assert.Single(test.Parameter("UseVerifyEndpoint").Sets));
        foreach (var tokenOnly in new[] { "AuthorizedParty", "ClockSkew", "JwtKey", "Detailed" })
        {
            Assert.Equal("ByToken", Assert.Single(test.Parameter(tokenOnly).Sets).Name);
        }

        // One session per token: the engine refuses a list before the command runs.
        Assert.Equal(typeof(string), test.Parameter("SessionId").Type);

        var attribute = new ClerkSessions.Cmdlets.SecretTextAttribute();

        Assert.Equal("rt_secret", attribute.Transform(null!, new System.Net.NetworkCredential("", "rt_secret").SecurePassword));
        Assert.Equal("plain", attribute.Transform(null!, "plain"));
        Assert.Null(attribute.Transform(null!, null));
    }

    [Theory]
    [InlineData(typeof(ClerkSessions.Cmdlets.UpdateClerkSessionCommand), "ExpiredToken")]
    [InlineData(typeof(ClerkSessions.Cmdlets.UpdateClerkSessionCommand), "RefreshToken")]
    [InlineData(typeof(ClerkSessions.Cmdlets.TestClerkSessionTokenCommand), "Token")]
    public void Tokens_accept_SecureStrings(Type cmdlet, string parameter)
    {
        var property = cmdlet.GetProperty(parameter)!;

        Assert.Contains(property.GetCustomAttributesData(), data => data.AttributeType == typeof(ClerkSessions.Cmdlets.SecretTextAttribute));
    }
}

public sealed class SessionIdInputAttributeTests
{
    private static readonly SessionIdInputAttribute GetSession = new(typeof(GetClerkSessionCommand));
    private static readonly SessionIdInputAttribute TestSession = new(typeof(TestClerkSessionCommand));

    /// <summary>An object's properties as the engine would read them (no PowerShell runtime here): by name, any case.</summary>
    private static Func<string, object?> Properties(object? value) => name =>
        value is IDictionary<string, object?> row
            ? row.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value
            : value?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(value);

    private static Dictionary<string, object?> Row(string name, object? value) => new() { [name] = value };

    public static TheoryData<object?> Bindable => new()
    {
        null,
        "",
        "sess_1",
        new ClerkSession { Id = "sess_1" },
        Row("Id", "sess_1"),
        Row("SessionId", "sess_1"),
        Row("sessionid", "sess_1"),
        Row("UserId", "user_1"),
        Row("ClientId", "client_1"),
        Row("UserId", " "),
        Row("Id", 42),
    };

    [Theory]
    [MemberData(nameof(Bindable))]
    public void What_the_command_can_bind_passes(object? input)
    {
        Assert.True(GetSession.CanBind(input, Properties(input)));
    }

    public static TheoryData<object?> NotBindable => new()
    {
        42,
        DateTime.UnixEpoch,
        new Hashtable { ["Id"] = "sess_1" },
        Row("Name", "sess_1"),
        Row("UserId", null),
        Row("UserId", ""),
        Row("UserId", Array.Empty<object>()),
        Row("Token", "eyJ.a.b"),
    };

    [Theory]
    [MemberData(nameof(NotBindable))]
    public void What_only_its_text_could_bind_is_refused(object? input)
    {
        Assert.False(GetSession.CanBind(input, Properties(input)));
    }

    [Fact]
    public void Each_command_binds_its_own_properties_and_pipeline_types()
    {
        var token = ClerkSessionTokenReader.FromJwt("sess_1", templateName: null, "eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJzZXNzXzEifQ.c2ln");
        var row = Row("Token", "eyJ.a.b");

        Assert.True(TypedPipeline.CanBind(token, _ => null));
        Assert.False(GetSession.CanBind(token, _ => null));
        Assert.True(TypedPipeline.CanBind(row, Properties(row)));
        Assert.False(TestSession.CanBind(row, Properties(row)));
        Assert.False(TestSession.CanBind(Row("UserId", "user_1"), Properties(Row("UserId", "user_1"))));
        Assert.True(GetSession.CanBind(Row("UserId", "user_1"), Properties(Row("UserId", "user_1"))));

        // A token object names its session: Test-ClerkSession tests that one (tokens are Test-ClerkSessionToken's).
        Assert.True(TestSession.CanBind(token, Properties(token)));
        Assert.False(TestSession.CanBind(token, _ => null));
    }

    /// <summary>A command that takes a type of its own by value, and a Token by property name, beside its session ids.</summary>
    private sealed class TypedPipelineCommand : PSCmdlet
    {
        [Parameter(ParameterSetName = "ById", ValueFromPipeline = true)]
        [SessionIdInput(typeof(TypedPipelineCommand))]
        public string[] SessionId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = "ByInputObject", ValueFromPipeline = true)]
        public ClerkSessionToken[] InputObject { get; set; } = Array.Empty<ClerkSessionToken>();

        [Parameter(ParameterSetName = "ByToken", ValueFromPipelineByPropertyName = true)]
        public string Token { get; set; } = "";
    }

    private static readonly SessionIdInputAttribute TypedPipeline = new(typeof(TypedPipelineCommand));

    [Fact]
    public void The_refusal_names_the_input_type_and_the_properties_that_would_do()
    {
        Assert.Equal(
            "The input (System.Int32) has no session id: pipe sessions from Get-ClerkSession, session ids (sess_...), or objects whose SessionId, Id, UserId or ClientId property is not empty.",
            CommandErrors.NoSessionId(42, new[] { "SessionId", "Id", "UserId", "ClientId" }));
    }

    [Theory]
    [InlineData(typeof(GetClerkSessionCommand))]
    [InlineData(typeof(TestClerkSessionCommand))]
    [InlineData(typeof(NewClerkSessionTokenCommand))]
    public void Piped_session_ids_are_checked_for_their_own_command(Type cmdlet)
    {
        var attribute = Assert.Single(cmdlet.GetProperty("SessionId")!.GetCustomAttributes(typeof(SessionIdInputAttribute), inherit: false));

        Assert.Equal(cmdlet, ((SessionIdInputAttribute)attribute).Command);
    }
}
