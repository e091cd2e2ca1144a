using System.Text.Json;
using ClerkSessions.Tests.Core;

namespace ClerkSessions.Tests.Spec;

/// <summary>Every recording follows the spec: its request is one the API accepts, its response the one the spec documents.</summary>
public sealed class RecordingConformanceTests
{
    // Recordings that deliberately leave the spec, each for a stated reason.
    private static readonly Dictionary<string, string> DeliberateDeviations = new(StringComparer.Ordinal)
    {
        ["GetSessionList-unknown-status"] = "a status value and a member newer than the spec, to prove forward compatibility",
    };

    public static TheoryData<string> RecordingNames => new(RecordingValues.Recordings.Select(recording => recording.Name));

    [Theory]
    [MemberData(nameof(RecordingNames))]
    public void The_recorded_request_conforms_to_the_spec(string name)
    {
        var recording = RecordingValues.Recordings.Single(item => item.Name == name);
        var request = recording.Request;
        var query = request.Query?.ToList() ?? new List<KeyValuePair<string, string>>();
        var body = request.ComparesBody && request.Body.ValueKind != JsonValueKind.Null ? request.Body.GetRawText() : null;

        var violations = SpecConformance.CheckRequest(request.Method, request.Path, query, body, body is null ? null : "application/json");

        Assert.True(violations.Count == 0, string.Join("; ", violations));
        Assert.Equal(SpecConformance.Find(request.Method, request.Path)!.OperationId, recording.Operation);
    }

    [Theory]
    [MemberData(nameof(RecordingNames))]
    public void The_recorded_response_conforms_to_the_spec(string name)
    {
        var recording = RecordingValues.Recordings.Single(item => item.Name == name);
        var operation = SpecConformance.Find(recording.Request.Method, recording.Request.Path)!;
        var response = recording.Response;
        var json = response.Body.ValueKind == JsonValueKind.Undefined ? (JsonElement?)null : response.Body;

        // Statuses the spec does not list (a proxy's 502, an outage's 503) are recorded to test how failures are read.
        var undocumented = response.Status >= 500;
        var paginated = recording.Request.Query?.GetValueOrDefault("paginated") == "true";
        var violations = SpecConformance.CheckResponse(operation, response.Status, json, allowUndocumentedStatus: undocumented, paginated);

        Assert.Equal(operation.SpecVersion, recording.SpecVersion);
        if (DeliberateDeviations.ContainsKey(name))
        {
            Assert.NotEmpty(violations);
            return;
        }

        Assert.True(violations.Count == 0, string.Join("; ", violations));
    }

    [Fact]
    public void Every_operation_has_a_success_recording_and_one_for_each_documented_error_status()
    {
        var missing = new List<string>();
        foreach (var operation in SpecConformance.Operations)
        {
            var recorded = RecordingValues.Recordings.Where(recording => recording.Operation == operation.OperationId)
                .Select(recording => recording.Response.Status).ToHashSet();
            foreach (var status in operation.Definition.GetProperty("responses").EnumerateObject().Select(response => int.Parse(response.Name)))
            {
                if (!recorded.Contains(status))
                {
                    missing.Add($"{operation.OperationId} {status}");
                }
            }
        }

        Assert.True(missing.Count == 0, "no recording for: " + string.Join(", ", missing));
        Assert.Equal(9, SpecConformance.Operations.Count);
    }

    [Fact]
    public void The_vendored_extract_names_the_spec_versions_it_was_taken_from()
    {
        Assert.Equal("2026-05-12", SpecConformance.Source.GetProperty("current").GetProperty("version").GetString());
        Assert.Equal("2025-03-12", SpecConformance.Source.GetProperty("verify").GetProperty("version").GetString());
    }

    [SharedSpecFact]
    public void The_vendored_extract_matches_the_shared_spec_versions()
    {
        Assert.True(Directory.Exists(SharedSpecFactAttribute.Folder), $"{SharedSpecFactAttribute.Folder} is absent, and CI always has ../shared beside the clone.");
        foreach (var entry in new[] { "current", "verify" })
        {
            var file = SpecConformance.Source.GetProperty(entry).GetProperty("file").GetString()!;
            var version = SpecConformance.Source.GetProperty(entry).GetProperty("version").GetString()!;
            var header = File.ReadLines(Path.Combine(SharedSpecFactAttribute.Folder, file)).Take(60).FirstOrDefault(line => line.StartsWith("  version:", StringComparison.Ordinal));
            Assert.NotNull(header);
            Assert.Equal(version, header!.Split(':', 2)[1].Trim().Trim('\'', '"'));
        }
    }
}

/// <summary>The validator must reject what the spec rejects, or the conformance tests prove nothing.</summary>
public sealed class SchemaValidatorTests
{
    private static IReadOnlyList<string> ValidateSession(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var schema = JsonDocument.Parse("""{"$ref":"#/components/schemas/Session"}""");
        return SpecConformance.Validator.Validate(schema.RootElement, document.RootElement);
    }

    private const string ValidSession = """{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1,"expire_at":2,"abandon_at":3,"updated_at":4,"created_at":5}""";

    [Fact]
    public void A_complete_session_is_valid() => Assert.Empty(ValidateSession(ValidSession));

    [Theory]
    [InlineData("\"id\":\"sess_1\",", "required member 'id'")]
    [InlineData("\"status\":\"active\"", "is not one of")]
    [InlineData("\"expire_at\":2", "expected integer")]
    [InlineData("\"object\":\"session\"", "not allowed")]
    public void Broken_sessions_are_rejected(string replace, string expected)
    {
        var broken = replace switch
        {
            "\"id\":\"sess_1\"," => ValidSession.Replace(replace, ""),
            "\"status\":\"active\"" => ValidSession.Replace(replace, "\"status\":\"frozen\""),
            "\"expire_at\":2" => ValidSession.Replace(replace, "\"expire_at\":\"2\""),
            _ => ValidSession.Replace(replace, "\"object\":\"session\",\"surprise\":1"),
        };

        Assert.Contains(ValidateSession(broken), violation => violation.Contains(expected));
    }

    [Fact]
    public void Ranges_and_query_types_are_checked()
    {
        var list = SpecConformance.CheckRequest("GET", "/v1/sessions", new[] { new KeyValuePair<string, string>("limit", "501"), new KeyValuePair<string, string>("offset", "x"), new KeyValuePair<string, string>("status", "pending"), new KeyValuePair<string, string>("page", "2") }, null, null);
        var token = SpecConformance.CheckRequest("POST", "/v1/sessions/sess_1/tokens", Array.Empty<KeyValuePair<string, string>>(), """{"expires_in_seconds":29}""", "application/json");
        var revoke = SpecConformance.CheckRequest("POST", "/v1/sessions/sess_1/revoke", Array.Empty<KeyValuePair<string, string>>(), "{}", "application/json");
        var unknown = SpecConformance.CheckRequest("DELETE", "/v1/sessions/sess_1", Array.Empty<KeyValuePair<string, string>>(), null, null);

        Assert.Contains(list, violation => violation.Contains("above the maximum 500"));
        Assert.Contains(list, violation => violation.Contains("'offset' = 'x'"));
        Assert.Contains(list, violation => violation.Contains("\"pending\" is not one of"));
        Assert.Contains(list, violation => violation.Contains("'page' is not declared"));
        Assert.Contains(token, violation => violation.Contains("below the minimum 30"));
        Assert.Contains(revoke, violation => violation.Contains("takes no request body"));
        Assert.Contains(unknown, violation => violation.Contains("not a Sessions operation"));
    }

    [Fact]
    public void OneOf_needs_exactly_one_match()
    {
        var operation = SpecConformance.Operations.Single(item => item.OperationId == "RefreshSession");
        using var both = JsonDocument.Parse("""{"object":"token","jwt":"x","cookies":[]}""");
        using var cookies = JsonDocument.Parse("""{"object":"cookies","cookies":["a=b"]}""");

        Assert.Contains(SpecConformance.CheckResponse(operation, 200, both.RootElement, false), violation => violation.Contains("oneOf"));
        Assert.Empty(SpecConformance.CheckResponse(operation, 200, cookies.RootElement, false));
    }
}
