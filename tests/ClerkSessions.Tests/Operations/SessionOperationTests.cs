using System.Collections;
using System.Management.Automation;
using System.Net;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;
using ClerkSessions.TestServer;
using ClerkSessions.Tests.Core;

namespace ClerkSessions.Tests.Operations;

/// <summary>Test-ClerkSession, New-ClerkSession, Update-ClerkSession and New-ClerkSessionToken through the host seam.</summary>
public sealed class SessionOperationTests
{
    [Fact]
    public async Task Test_is_true_only_for_an_active_session_and_false_for_other_statuses_and_missing_ones()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var test = new TestSessionOperation(harness.Host, harness.Connection);

        test.TestById(new[] { Harness.ActiveSession, Harness.RevokedSession, Harness.MissingSession });

        Assert.Equal(new object[] { true, false, false }, harness.Host.Objects);
        Assert.Empty(harness.Host.Errors);
        Assert.Contains(harness.Host.Verbose, line => line.Contains("status 'revoked'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_reports_a_server_failure_as_an_error_not_as_false()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var test = new TestSessionOperation(harness.Host, harness.Connection);

        test.TestById(new[] { "sess_html_502_0001" });

        Assert.Empty(harness.Host.Objects);
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkServerError", error.ErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.Category);
        Assert.Equal("sess_html_502_0001", error.TargetObject);
    }

    [Fact]
    public async Task New_session_posts_the_user_and_organization_and_writes_the_session()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var create = new NewSessionOperation(harness.Host, harness.Connection);

        create.Create("user_0001", "org_0001");

        var request = Assert.Single(harness.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"user_id":"user_0001","active_organization_id":"org_0001"}""", request.Body);
        Assert.Equal("sess_created_0002", Assert.IsType<ClerkSession>(Assert.Single(harness.Host.Objects)).Id);
        Assert.Equal(("user user_0001 in organization org_0001", "Create a Clerk session"), Assert.Single(harness.Host.ShouldProcessCalls));
    }

    [Fact]
    public async Task New_session_under_WhatIf_sends_nothing()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.WhatIf = true;
        using var create = new NewSessionOperation(harness.Host, harness.Connection);

        create.Create("user_0001", null);

        Assert.Empty(harness.Requests);
        Assert.Empty(harness.Host.Objects);
    }

    [Theory]
    [InlineData("user_missing_0001", null, "ClerkUserNotFound", ErrorCategory.ObjectNotFound, "No user was found")]
    [InlineData("user_0001", "org_invalid_0001", "ClerkInvalidRequest", ErrorCategory.InvalidArgument, "8f1d2c3b4a5e6f70-SJC")]
    public async Task New_session_failures_carry_Clerks_message(string userId, string? organizationId, string errorId, ErrorCategory category, string detail)
    {
        await using var harness = await CommandHarness.StartAsync();
        using var create = new NewSessionOperation(harness.Host, harness.Connection);

        create.Create(userId, organizationId);

        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(category, error.Category);
        Assert.Equal(userId, error.TargetObject);
        Assert.Contains(detail, error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_writes_a_token_object_with_times_from_the_jwt()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var update = new UpdateSessionOperation(harness.Host, harness.Connection);

        update.Refresh(Harness.ActiveSession, new SessionRefreshRequest(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin));

        var token = Assert.IsType<ClerkSessionToken>(Assert.Single(harness.Host.Objects));
        Assert.Equal(Harness.ActiveSession, token.SessionId);
        Assert.Null(token.TemplateName);
        Assert.Equal("user_0001", token.UserId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1716883200), token.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1716883260), token.ExpiresAt);
        Assert.StartsWith("eyJ", Plain(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_with_the_cookie_format_writes_cookies_for_the_session()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var update = new UpdateSessionOperation(harness.Host, harness.Connection);

        update.Refresh(Harness.ActiveSession, new SessionRefreshRequest(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin) { Format = SessionRefreshFormat.Cookie });

        var cookies = Assert.IsType<ClerkSessionCookies>(Assert.Single(harness.Host.Objects));
        Assert.Equal(Harness.ActiveSession, cookies.SessionId);
        Assert.Contains(cookies.Cookies, cookie => new NetworkCredential("", cookie).Password.StartsWith("__session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_refresh_says_to_fall_back_to_the_handshake_with_Clerks_code()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var update = new UpdateSessionOperation(harness.Host, harness.Connection);

        update.Refresh("sess_refresh_refused_0001", new SessionRefreshRequest(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin));

        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkSessionRefreshRefused", error.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.Category);
        Assert.Contains("handshake", error.Details, StringComparison.Ordinal);
        Assert.Contains("code session_refresh_inactive_session", error.Details, StringComparison.Ordinal);
        Assert.Contains("trace id trace_refresh_0001", error.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(RecordingValues.RefreshToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_with_a_rejected_key_is_terminating_not_a_refused_refresh()
    {
        await using var harness = await CommandHarness.StartAsync(Harness.RejectedKey);
        using var update = new UpdateSessionOperation(harness.Host, harness.Connection);

        var stop = Assert.Throws<CommandTerminatingException>(() =>
            update.Refresh(Harness.ActiveSession, new SessionRefreshRequest(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin)));

        Assert.Equal("ClerkSecretKeyRejected", stop.Error.ErrorId);
    }

    [Fact]
    public async Task Refresh_under_WhatIf_sends_nothing()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.WhatIf = true;
        using var update = new UpdateSessionOperation(harness.Host, harness.Connection);

        update.Refresh(Harness.ActiveSession, new SessionRefreshRequest(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin));

        Assert.Empty(harness.Requests);
    }

    [Fact]
    public void Request_headers_from_a_hashtable_become_header_lists()
    {
        var headers = UpdateSessionOperation.ToHeaders(new Hashtable { ["User-Agent"] = "curl/8", ["Accept"] = new object[] { "a", 1 }, ["X-Empty"] = null })!;

        Assert.Equal(new[] { "curl/8" }, headers["user-agent"]);
        Assert.Equal(new[] { "a", "1" }, headers["Accept"]);
        Assert.Empty(headers["X-Empty"]);
        Assert.Null(UpdateSessionOperation.ToHeaders(null));
        Assert.Throws<CommandTerminatingException>(() => UpdateSessionOperation.ToHeaders(new Hashtable { [" "] = "x" }));
    }

    [Fact]
    public async Task A_session_token_is_a_SecureString_with_its_session_and_times()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var token = new NewSessionTokenOperation(harness.Host, harness.Connection);

        token.Create(new[] { Harness.ActiveSession });

        var written = Assert.IsType<ClerkSessionToken>(Assert.Single(harness.Host.Objects));
        Assert.Equal(Harness.ActiveSession, written.SessionId);
        Assert.Equal(Jwt("CreateSessionToken-200"), Plain(written));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1716883260), written.ExpiresAt);
        Assert.DoesNotContain("eyJ", written.ToString(), StringComparison.Ordinal);
        Assert.Equal("/v1/sessions/sess_active_0001/tokens", Assert.Single(harness.Requests).Path);
    }

    [Fact]
    public async Task A_template_token_names_its_template_and_a_lifetime_is_sent()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var token = new NewSessionTokenOperation(harness.Host, harness.Connection) { TemplateName = "custom_hasura", ExpiresInSeconds = 600 };

        token.Create(new[] { Harness.ActiveSession });

        var written = Assert.IsType<ClerkSessionToken>(Assert.Single(harness.Host.Objects));
        Assert.Equal("custom_hasura", written.TemplateName);
        var request = Assert.Single(harness.Requests);
        Assert.Equal("/v1/sessions/sess_active_0001/tokens/custom_hasura", request.Path);
        Assert.Equal("""{"expires_in_seconds":600}""", request.Body);
    }

    [Fact]
    public async Task AsPlainText_writes_the_jwt_string()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var token = new NewSessionTokenOperation(harness.Host, harness.Connection) { AsPlainText = true };

        token.Create(new[] { Harness.ActiveSession });

        Assert.Equal(Jwt("CreateSessionToken-200"), Assert.IsType<string>(Assert.Single(harness.Host.Objects)));
    }

    [Fact]
    public async Task A_missing_template_and_a_missing_session_are_told_apart()
    {
        await using var harness = await CommandHarness.StartAsync();
        using (var missingTemplate = new NewSessionTokenOperation(harness.Host, harness.Connection) { TemplateName = "missing_template" })
        {
            missingTemplate.Create(new[] { Harness.ActiveSession });
        }

        using (var missingSession = new NewSessionTokenOperation(harness.Host, harness.Connection) { TemplateName = "custom_hasura" })
        {
            missingSession.Create(new[] { Harness.MissingSession });
        }

        Assert.Equal(new[] { "ClerkJwtTemplateNotFound", "ClerkSessionNotFound" }, harness.Host.Errors.Select(error => error.ErrorId));
        Assert.Empty(harness.Host.Objects);
    }

    [Fact]
    public async Task Token_creation_under_WhatIf_sends_nothing()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.WhatIf = true;
        using var token = new NewSessionTokenOperation(harness.Host, harness.Connection);

        token.Create(new[] { Harness.ActiveSession });

        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task Debug_output_shows_headers_but_never_the_secret_key_or_a_token()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.DebugEnabled = true;
        using var token = new NewSessionTokenOperation(harness.Host, harness.Connection);

        token.Create(new[] { Harness.ActiveSession });

        var debug = string.Join("\n", harness.Host.Debug);
        Assert.Contains("Authorization", debug, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.SecretKey, debug, StringComparison.Ordinal);
        Assert.DoesNotContain(Jwt("CreateSessionToken-200"), debug, StringComparison.Ordinal);
        Assert.Empty(harness.Host.OffThreadWrites);
    }

    internal static string Plain(ClerkSessionToken token) => new NetworkCredential("", token.Token).Password;

    private static string Jwt(string recording) =>
        Recording.LoadDirectory(Harness.RecordingsDirectory).Single(candidate => candidate.Name == recording).Response.Body.GetProperty("jwt").GetString()!;
}
