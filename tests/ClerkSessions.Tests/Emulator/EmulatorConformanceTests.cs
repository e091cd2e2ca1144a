using System.Globalization;
using System.Text.Json;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Spec;

namespace ClerkSessions.Tests.Emulator;

/// <summary>One development and one production emulator for the conformance cases, each exchange run once and kept for both checks.</summary>
public sealed class EmulatorConformanceFixture : IDisposable
{
    private readonly Dictionary<string, CaseExchange> _exchanges = new(StringComparer.Ordinal);
    private readonly Lazy<EmulatorHost> _development = new(() => EmulatorHost.Start());
    private readonly Lazy<EmulatorHost> _production = new(() => EmulatorHost.Start(options => options.Environment = ClerkEmulatorEnvironment.Production));

    internal async Task<CaseExchange> ExchangeAsync(EmulatorCase @case)
    {
        if (!_exchanges.TryGetValue(@case.Name, out var exchange))
        {
            exchange = await CaseExchange.RunAsync(@case, @case.Production ? _production.Value : _development.Value);
            _exchanges[@case.Name] = exchange;
        }

        return exchange;
    }

    public void Dispose()
    {
        foreach (var host in new[] { _development, _production }.Where(host => host.IsValueCreated))
        {
            host.Value.Dispose();
        }
    }
}

/// <summary>
/// The emulator's answers follow the spec: every request a case sends is one the spec describes (or deliberately
/// not, to provoke a refusal), and every answer has a status the operation documents and the body the spec gives it.
/// </summary>
public sealed class EmulatorConformanceTests : IClassFixture<EmulatorConformanceFixture>
{
    // Requests that leave the spec on purpose, to provoke the refusal they test: what the spec says of each.
    private static readonly Dictionary<string, (string Violation, string Reason)> RequestDeviations = new(StringComparer.Ordinal)
    {
        ["GetSessionList-200-version-query"] = ("'__clerk_api_version' is not declared", "Clerk takes the version as a query parameter too; the spec declares only the header"),
        ["GetSessionList-400-version-twice"] = ("'__clerk_api_version' is not declared", "the version in the query and the header both, which Clerk refuses"),
        ["GetSessionList-422-limit"] = ("above the maximum 500", "a limit over the documented range"),
        ["GetSessionList-422-offset"] = ("below the minimum 0", "a negative offset"),
        ["GetSessionList-422-status"] = ("\"pending\" is not one of", "pending is a session status the list filter does not take"),
        ["GetSessionList-422-paginated"] = ("'paginated' = 'yes' is not a boolean", "paginated must be true or false"),
        ["createSession-422-missing-user"] = ("required member 'user_id' is missing", "user_id is required"),
        ["createSession-422-not-json"] = ("the body is not JSON", "a body that does not parse"),
        ["RefreshSession-400-format"] = ("\"jwt\" is not one of", "a format other than token or cookie"),
        ["RefreshSession-422-not-json"] = ("the body is not JSON", "a body that does not parse"),
        ["CreateSessionToken-422-expires"] = ("below the minimum 30", "expires_in_seconds under the documented range"),
        ["CreateSessionTokenFromTemplate-422-expires"] = ("above the maximum 315360000", "expires_in_seconds over the documented range"),
    };

    // Answers with a status the spec does not document for the operation, each deliberate.
    private static readonly Dictionary<string, string> ResponseDeviations = new(StringComparer.Ordinal)
    {
        ["GetSessionList-429"] = TooManyRequests,
        ["createSession-429"] = TooManyRequests,
        ["GetSession-429"] = TooManyRequests,
        ["RevokeSession-429"] = TooManyRequests,
        ["RefreshSession-429"] = TooManyRequests,
        ["CreateSessionToken-429"] = TooManyRequests,
        ["CreateSessionTokenFromTemplate-429"] = TooManyRequests,
        ["VerifySession-429"] = TooManyRequests,
        ["createSession-403-production"] = "Clerk creates sessions on development instances only and refuses a production key with 403, which the spec does not list",
        ["CreateSessionToken-422-expires"] = "Clerk checks expires_in_seconds against its documented range with 422; the spec lists no 422 for tokens",
        ["CreateSessionTokenFromTemplate-422-expires"] = "Clerk checks expires_in_seconds against its documented range with 422; the spec lists no 422 for template tokens",
        ["RefreshSession-422-not-json"] = "a body that is not JSON is refused with 422 by every operation; the spec lists no 422 for refresh",
        ["CreateSessionToken-400-version"] = UnknownVersion,
        ["CreateSessionTokenFromTemplate-400-version"] = UnknownVersion,
        ["GetJWKS-400-version"] = UnknownVersion,
        ["GetJWKS-401-key"] = "GET /jwks needs the secret key like every Backend API call; the spec documents only its 200",
    };

    // Statuses the spec documents that the emulator never answers (outside scripted faults).
    private static readonly Dictionary<string, string> NotProduced = new(StringComparer.Ordinal)
    {
        ["VerifySession 200"] = "verify is retired: the emulator answers 410 as Clerk does for every verify request",
        ["VerifySession 404"] = "verify is retired: even an unknown session gets 410",
    };

    private const string TooManyRequests = "429 is documented for no operation; Clerk answers it to any request over the instance's rate limit";
    private const string UnknownVersion = "an unknown Clerk-API-Version is refused with 400 before any operation runs; the spec lists no 400 for this one";

    private readonly EmulatorConformanceFixture _fixture;

    public EmulatorConformanceTests(EmulatorConformanceFixture fixture) => _fixture = fixture;

    public static TheoryData<string> CaseNames => new(EmulatorCases.All.Select(item => item.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_request_conforms_to_the_spec(string name)
    {
        var @case = EmulatorCases.Named(name);
        var exchange = await _fixture.ExchangeAsync(@case);
        var logged = exchange.Logged;
        var body = logged.Body.Length == 0 ? null : logged.Body;

        var violations = SpecConformance.CheckRequest(logged.Method, logged.Path, exchange.Query, body, body is null ? null : "application/json");

        Assert.Equal(exchange.Request.Method.Method, logged.Method);
        Assert.Equal(new Uri(exchange.Context.Host.Emulator.ApiUrl, exchange.Request.Target).AbsolutePath, logged.Path);
        Assert.Equal(@case.Operation, logged.Operation);
        Assert.Equal(@case.Operation, SpecConformance.Find(logged.Method, logged.Path)?.OperationId);
        if (RequestDeviations.TryGetValue(name, out var deviation))
        {
            Assert.Contains(violations, violation => violation.Contains(deviation.Violation, StringComparison.Ordinal));
            return;
        }

        Assert.True(violations.Count == 0, string.Join("; ", violations));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_answer_conforms_to_the_spec(string name)
    {
        var @case = EmulatorCases.Named(name);
        var exchange = await _fixture.ExchangeAsync(@case);
        var operation = SpecConformance.Operations.Single(item => item.OperationId == @case.Operation);

        Assert.True(@case.Status == exchange.Status, $"{name}: expected {@case.Status}, answered {exchange.Status}: {exchange.BodyText}");
        Assert.Equal("application/json", exchange.MediaType);
        var json = exchange.Json;
        Assert.NotNull(json);
        var violations = SpecConformance.CheckResponse(operation, exchange.Status, json, allowUndocumentedStatus: false, exchange.Paginated);

        if (@case.ErrorCode is not null)
        {
            Assert.Equal(@case.ErrorCode, EmulatorHost.ErrorCode(json!.Value));
            Assert.False(string.IsNullOrEmpty(json.Value.GetProperty("clerk_trace_id").GetString()));
        }

        if (exchange.Status == 429)
        {
            Assert.True(int.TryParse(exchange.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1, $"Retry-After: {exchange.RetryAfter}");
        }

        if (ResponseDeviations.ContainsKey(name))
        {
            // Only the status leaves the spec: the body is still Clerk's error envelope.
            Assert.Equal(new[] { $"status {exchange.Status} is not documented for {@case.Operation}" }, violations);
            Assert.Empty(ValidateErrors(json!.Value));
            return;
        }

        Assert.True(violations.Count == 0, string.Join("; ", violations));
        @case.Check?.Invoke(json!.Value, exchange.Context);
    }

    [Fact]
    public void Every_operation_has_an_emulator_answer_for_success_and_each_documented_error_status()
    {
        Assert.Equal(SpecConformance.Operations.Select(item => item.OperationId).Order(), ClerkEmulator.Operations.Order());
        var missing = new List<string>();
        foreach (var operation in SpecConformance.Operations)
        {
            var provoked = EmulatorCases.All.Where(item => item.Operation == operation.OperationId).Select(item => item.Status).ToHashSet();
            foreach (var status in operation.Definition.GetProperty("responses").EnumerateObject().Select(response => int.Parse(response.Name, CultureInfo.InvariantCulture)))
            {
                var key = $"{operation.OperationId} {status}";
                if (NotProduced.ContainsKey(key))
                {
                    Assert.DoesNotContain(status, provoked);
                }
                else if (!provoked.Contains(status))
                {
                    missing.Add(key);
                }
            }
        }

        Assert.True(missing.Count == 0, "no emulator answer checked for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_deviation_names_a_case_and_no_case_is_named_twice()
    {
        var names = EmulatorCases.All.Select(item => item.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(RequestDeviations.Keys.Concat(ResponseDeviations.Keys), name => Assert.Contains(name, names));
        Assert.All(NotProduced.Keys, key => Assert.Contains(SpecConformance.Operations, operation => key.StartsWith(operation.OperationId + " ", StringComparison.Ordinal)));
    }

    [SharedSpecFact]
    public void Every_error_code_the_emulator_answers_is_in_Clerks_catalogue_with_that_status()
    {
        // The one exception: the spec documents 400 for a refresh it refuses, where the catalogue has this code at 422.
        var catalogueDeviations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RefreshSession-400-format"] = "the spec documents 400, not 422, for a refresh with a bad parameter; the emulator keeps to the spec's statuses",
        };
        var known = CatalogueCodes();

        var unknown = new List<string>();
        foreach (var @case in EmulatorCases.All.Where(item => item.ErrorCode is not null))
        {
            var listed = known.Contains((@case.ErrorCode, @case.Status));
            if (catalogueDeviations.ContainsKey(@case.Name))
            {
                Assert.False(listed, $"{@case.Name} is listed now: drop its deviation");
            }
            else if (!listed)
            {
                unknown.Add($"{@case.Name}: {@case.ErrorCode} {@case.Status}");
            }
        }

        Assert.True(unknown.Count == 0, "not in Clerk's catalogue: " + string.Join(", ", unknown));
    }

    [SharedSpecFact]
    public async Task Every_error_message_the_emulator_answers_is_Clerks_own_for_its_code()
    {
        // Answers whose text Clerk does not document, each with the reason.
        var ownWords = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["createSession-403-production"] = "which error Clerk answers for a create on a production instance is undocumented; the emulator's is an assumption",
            ["createSession-422-not-json"] = "the catalogue's FailedToParseRequestBody names a field and a type, which a body that is not JSON at all has not",
            ["RefreshSession-422-not-json"] = "as above",
        };
        Assert.All(ownWords.Keys, name => Assert.Contains(EmulatorCases.All, item => item.Name == name));
        using var catalogue = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedSpecFactAttribute.Folder, "..", "api-errors-catalog.json")));
        var entries = catalogue.RootElement.EnumerateArray().Select(entry => (
            Code: entry.GetProperty("code").GetString(),
            Short: entry.GetProperty("shortMessage").GetString() ?? string.Empty,
            Long: Template(entry.GetProperty("longMessage").GetString() ?? string.Empty))).ToList();

        var unknown = new List<string>();
        foreach (var @case in EmulatorCases.All.Where(item => item.ErrorCode is not null))
        {
            var error = (await _fixture.ExchangeAsync(@case)).Json!.Value.GetProperty("errors")[0];
            var message = error.GetProperty("message").GetString();
            var longMessage = error.GetProperty("long_message").GetString()!;
            var documented = entries.Any(entry => entry.Code == @case.ErrorCode && entry.Short == message && entry.Long.IsMatch(longMessage));
            if (ownWords.ContainsKey(@case.Name))
            {
                Assert.False(documented, $"{@case.Name} now answers in Clerk's words: drop it from the list");
            }
            else if (!documented)
            {
                unknown.Add($"{@case.Name}: {@case.ErrorCode} '{message}' / '{longMessage}'");
            }
        }

        Assert.True(unknown.Count == 0, "not in Clerk's words: " + string.Join("; ", unknown));

        // "No session was found with id <sessionID>", "%v is invalid": a placeholder stands for any text.
        static System.Text.RegularExpressions.Regex Template(string text) => new(
            "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(text), @"<[^>]+>|%[a-z]", ".+") + "$");
    }

    /// <summary>Every (code, status) of Clerk's error catalogue in ../shared (for [SharedSpecFact] tests).</summary>
    internal static HashSet<(string? Code, int Status)> CatalogueCodes()
    {
        using var catalogue = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedSpecFactAttribute.Folder, "..", "api-errors-catalog.json")));
        return catalogue.RootElement.EnumerateArray()
            .Select(entry => (Code: entry.GetProperty("code").GetString(), Status: entry.GetProperty("status").GetString()))
            .Where(entry => entry.Status is { Length: > 0 })
            .Select(entry => (entry.Code, int.Parse(entry.Status!, CultureInfo.InvariantCulture)))
            .ToHashSet();
    }

    internal static IReadOnlyList<string> ValidateErrors(JsonElement body)
    {
        using var schema = JsonDocument.Parse("""{"$ref":"#/components/schemas/ClerkErrors"}""");
        return SpecConformance.Validator.Validate(schema.RootElement, body);
    }
}
