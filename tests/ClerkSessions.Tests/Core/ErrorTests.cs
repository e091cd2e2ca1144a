using ClerkSessions.Core;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>Each documented error status of each operation becomes one ClerkApiException carrying Clerk's own words.</summary>
public sealed class ErrorTests
{
    internal static readonly string[] OperationNames =
    {
        "GetSessionList", "CreateSession", "GetSession", "RefreshSession", "RevokeSession",
        "CreateSessionToken", "CreateSessionTokenFromTemplate", "VerifySession", "GetJwks",
    };

    /// <summary>All but GET /jwks, for which the spec documents no error.</summary>
    public static TheoryData<string> OperationsDocumenting401 => new(OperationNames.Where(name => name != "GetJwks"));

    internal static Task Call(ClerkSessionsClient client, string operation, string sessionId = Harness.ActiveSession) => operation switch
    {
        "GetSessionList" => client.GetSessionListPageAsync(new SessionListQuery { UserId = "user_0001", Limit = 10 }),
        "CreateSession" => client.CreateSessionAsync("user_0001"),
        "GetSession" => client.GetSessionAsync(sessionId),
        "RefreshSession" => client.RefreshSessionAsync(sessionId, OperationTests.RefreshRequest()),
        "RevokeSession" => client.RevokeSessionAsync(sessionId),
        "CreateSessionToken" => client.CreateSessionTokenAsync(sessionId),
        "CreateSessionTokenFromTemplate" => client.CreateSessionTokenAsync(sessionId, "custom_hasura"),
        "VerifySession" => client.VerifySessionAsync(sessionId, OperationTests.RecordedVerifyToken),
        "GetJwks" => client.GetJwksAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    [Theory]
    [MemberData(nameof(OperationsDocumenting401))]
    public async Task A_rejected_key_gives_401_with_clerks_message_and_never_the_key(string operation)
    {
        // Verify answers 410 on the current version before looking at the key, so ask it on the version it still exists in.
        await using var harness = await Harness.StartAsync(
            options => options.ApiVersion = operation == "VerifySession" ? "2025-03-12" : options.ApiVersion,
            secretKey: Harness.RejectedKey);

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => Call(harness.Client, operation));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("authentication_invalid", error.Code);
        Assert.Equal(error.Errors[0].LongMessage, error.Message);
        Assert.DoesNotContain(Harness.RejectedKey, error.ToString());
        Assert.DoesNotContain(Harness.RejectedKey, harness.Log.All);
        Assert.Single(harness.Server.Requests);
    }

    [Theory]
    [InlineData("GetSessionList")]
    [InlineData("CreateSession")]
    [InlineData("GetSession")]
    [InlineData("RefreshSession")]
    [InlineData("RevokeSession")]
    [InlineData("VerifySession")]
    public async Task An_invalid_api_version_gives_400_api_version_invalid(string operation)
    {
        await using var harness = await Harness.StartAsync(options => options.ApiVersion = "1999-01-01");

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => Call(harness.Client, operation));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("api_version_invalid", error.Code);
        Assert.False(string.IsNullOrEmpty(error.Errors[0].Message));
        Assert.Equal(error.Errors[0].LongMessage, error.Message);
        Assert.Equal("1999-01-01", harness.SingleRequest().Headers["Clerk-API-Version"]);
    }

    [Theory]
    [InlineData("GetSession")]
    [InlineData("RevokeSession")]
    [InlineData("CreateSessionToken")]
    [InlineData("CreateSessionTokenFromTemplate")]
    [InlineData("VerifySession")]
    public async Task A_missing_session_gives_404_resource_not_found_naming_the_session(string operation)
    {
        await using var harness = await Harness.StartAsync(options => options.ApiVersion = operation == "VerifySession" ? "2025-03-12" : options.ApiVersion);

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => Call(harness.Client, operation, Harness.MissingSession));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("resource_not_found", error.Code);
        Assert.Equal(Harness.MissingSession, error.SessionId);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task A_missing_jwt_template_gives_404()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, "missing_template"));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("resource_not_found", error.Code);
        Assert.Equal("/v1/sessions/sess_active_0001/tokens/missing_template", harness.SingleRequest().Path);
    }

    [Fact]
    public async Task Creating_a_session_for_a_missing_user_gives_404()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.CreateSessionAsync("user_missing_0001"));

        Assert.Equal(404, error.StatusCode);
        Assert.Null(error.SessionId);
    }

    [Fact]
    public async Task Invalid_parameters_give_422_with_meta_and_the_trace_id()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.CreateSessionAsync("user_0001", "org_invalid_0001"));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("form_param_value_invalid", error.Code);
        Assert.False(string.IsNullOrEmpty(error.TraceId));
    }

    [Fact]
    public async Task Listing_with_an_invalid_parameter_gives_422()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() =>
            harness.Client.GetSessionListPageAsync(new SessionListQuery { UserId = "user_invalid_0001", Limit = 10 }));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("form_param_value_invalid", error.Code);
    }

    [Fact]
    public async Task A_refused_refresh_gives_401_with_clerks_code()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() =>
            harness.Client.RefreshSessionAsync("sess_refresh_refused_0001", OperationTests.RefreshRequest()));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("session_refresh_inactive_session", error.Code);
    }

    [Fact]
    public async Task Verify_with_a_bad_token_gives_400_invalid_session_token()
    {
        await using var harness = await Harness.StartAsync(options => options.ApiVersion = "2025-03-12");

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.VerifySessionAsync(Harness.ActiveSession, "not-a-valid-token"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_session_token", error.Code);
    }

    [Fact]
    public async Task The_trace_id_comes_from_the_body_or_else_from_the_response_headers()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(
            new TestServer.ScriptedResponse { Status = 404, Body = """{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No session was found with id x"}],"clerk_trace_id":"trace_body"}""", Headers = { ["Clerk-Trace-Id"] = "trace_header" } },
            new TestServer.ScriptedResponse { Status = 404, Body = """{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No session was found with id x"}]}""", Headers = { ["Clerk-Trace-Id"] = "trace_header" } },
            new TestServer.ScriptedResponse { Status = 404, Body = """{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No session was found with id x"}]}""", Headers = { ["cf-ray"] = "8f1d2c3b4a5e6f70-SJC" } });

        var fromBody = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_x"));
        var fromHeader = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_x"));
        var fromRay = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_x"));

        Assert.Equal("trace_body", fromBody.TraceId);
        Assert.Equal("trace_header", fromHeader.TraceId);
        Assert.Equal("8f1d2c3b4a5e6f70-SJC", fromRay.TraceId);
        Assert.Equal("No session was found with id x", fromBody.Message);
    }

    [Fact]
    public async Task Every_error_Clerk_lists_is_kept_with_its_meta()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(new TestServer.ScriptedResponse
        {
            Status = 422,
            Body = """{"errors":[{"code":"form_param_missing","message":"is missing","long_message":"user_id must be included.","meta":{"param_name":"user_id"}},{"code":"form_param_value_invalid","message":"is invalid","long_message":"limit is invalid.","meta":{"param_name":"limit","nested":{"n":1}}}]}""",
        });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_x"));

        Assert.Equal(2, error.Errors.Count);
        Assert.Equal("form_param_missing", error.Code);
        Assert.Equal("user_id", error.Errors[0].Meta!["param_name"]);
        Assert.Equal(1L, ((IReadOnlyDictionary<string, object?>)error.Errors[1].Meta!["nested"]!)["n"]);
        Assert.Equal("user_id must be included. limit is invalid.", error.Message);
    }

    [Fact]
    public async Task An_html_502_page_gives_a_clear_error_not_a_json_exception()
    {
        await using var harness = await Harness.StartAsync(options => options.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_html_502_0001"));

        Assert.Equal(502, error.StatusCode);
        Assert.Empty(error.Errors);
        Assert.Contains("text/html", error.Message);
        Assert.Contains("instead of Clerk's JSON error", error.Message);
    }

    [Fact]
    public async Task An_empty_503_gives_a_clear_error()
    {
        await using var harness = await Harness.StartAsync(options => options.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync("sess_empty_503_0001"));

        Assert.Equal(503, error.StatusCode);
        Assert.Contains("empty body", error.Message);
    }

    [Fact]
    public async Task A_malformed_success_body_gives_a_ClerkApiException_naming_what_was_expected()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.MalformedJson });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync(harness.ActiveSession));

        Assert.Equal(200, error.StatusCode);
        Assert.Contains("could not be read as a session", error.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }
}
