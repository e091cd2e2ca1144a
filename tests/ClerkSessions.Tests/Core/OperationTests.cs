using System.Text.Json;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Tests.Core;

/// <summary>Every Sessions operation against the recorded responses: the exact request sent, and the answer read.</summary>
public sealed class OperationTests
{
    [Fact]
    public async Task GetSession_sends_a_GET_with_key_version_and_agent_and_reads_every_field()
    {
        await using var harness = await Harness.StartAsync();

        var session = await harness.Client.GetSessionAsync(Harness.ActiveSession);

        var request = harness.SingleRequest();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/sessions/sess_active_0001", request.Path);
        Assert.Equal("", request.RawQuery);
        Assert.Null(request.Body);
        Assert.Equal("Bearer " + Harness.SecretKey, request.Headers["Authorization"]);
        Assert.Equal("2026-05-12", request.Headers["Clerk-API-Version"]);
        Assert.StartsWith("ClerkSessions/0.1.0 xunit/2.9 (", request.Headers["User-Agent"]);
        Assert.Equal("application/json", request.Headers["Accept"]);

        Assert.Equal("session", session.Object);
        Assert.Equal(Harness.ActiveSession, session.Id);
        Assert.Equal("user_0001", session.UserId);
        Assert.Equal("client_0001", session.ClientId);
        Assert.Equal(ClerkSessionStatus.Active, session.Status);
        Assert.NotNull(session.LatestActivity);
        Assert.False(string.IsNullOrEmpty(session.LatestActivity!.Id));
        Assert.NotNull(session.ExpireAtUnixMs);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(session.ExpireAtUnixMs!.Value), session.ExpireAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(session.CreatedAtUnixMs!.Value), session.CreatedAt);
        Assert.True(session.ExpireAt > session.CreatedAt);
    }

    [Fact]
    public async Task GetSession_reads_a_revoked_session()
    {
        await using var harness = await Harness.StartAsync();

        var session = await harness.Client.GetSessionAsync(Harness.RevokedSession);

        Assert.Equal(ClerkSessionStatus.Revoked, session.Status);
        Assert.True(ClerkSessionStatus.IsFinished(session.Status));
    }

    [Fact]
    public async Task CreateSession_posts_the_user_id_and_only_the_fields_given()
    {
        await using var harness = await Harness.StartAsync();

        var session = await harness.Client.CreateSessionAsync("user_0001");

        var request = harness.SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/sessions", request.Path);
        AssertJsonEqual("""{"user_id":"user_0001"}""", request.Body);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal("user_0001", session.UserId);
        Assert.Equal(ClerkSessionStatus.Active, session.Status);
    }

    [Fact]
    public async Task CreateSession_with_an_organization_sends_active_organization_id()
    {
        await using var harness = await Harness.StartAsync();

        await harness.Client.CreateSessionAsync("user_0001", "org_0001");

        AssertJsonEqual("""{"user_id":"user_0001","active_organization_id":"org_0001"}""", harness.SingleRequest().Body);
    }

    [Fact]
    public async Task RevokeSession_posts_without_a_body_and_returns_the_revoked_session()
    {
        await using var harness = await Harness.StartAsync();

        var session = await harness.Client.RevokeSessionAsync(Harness.ActiveSession);

        var request = harness.SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/sessions/sess_active_0001/revoke", request.Path);
        Assert.Null(request.Body);
        Assert.Equal(ClerkSessionStatus.Revoked, session.Status);
    }

    [Fact]
    public async Task RefreshSession_sends_the_required_fields_and_reads_a_token()
    {
        await using var harness = await Harness.StartAsync();

        var result = await harness.Client.RefreshSessionAsync(Harness.ActiveSession, RefreshRequest());

        var request = harness.SingleRequest();
        Assert.Equal("/v1/sessions/sess_active_0001/refresh", request.Path);
        AssertJsonEqual(RecordedRefreshBody(format: null), request.Body);
        Assert.NotNull(result.Token);
        Assert.Null(result.Cookies);
        Assert.Equal("token", result.Token!.Object);
        Assert.Equal(3, result.Token.Jwt.Split('.').Length);
    }

    [Fact]
    public async Task RefreshSession_with_cookie_format_reads_cookies()
    {
        await using var harness = await Harness.StartAsync();
        var refresh = RefreshRequest();
        refresh.Format = SessionRefreshFormat.Cookie;

        var result = await harness.Client.RefreshSessionAsync(Harness.ActiveSession, refresh);

        AssertJsonEqual(RecordedRefreshBody(format: "cookie"), harness.SingleRequest().Body);
        Assert.Null(result.Token);
        Assert.NotNull(result.Cookies);
        Assert.Equal(Harness.ActiveSession, result.Cookies!.SessionId);
        Assert.Equal(result.Cookies.Cookies.Count, result.Cookies.Names.Count);
        Assert.Equal("__session", result.Cookies.Names[0]);
        var session = new System.Net.NetworkCredential("", result.Cookies.Cookies[0]).Password;
        Assert.StartsWith("__session=eyJ", session, StringComparison.Ordinal);
        var jwt = session.Split(';')[0];
        Assert.DoesNotContain(jwt.Substring(jwt.Length - 40), result.Cookies.ToString());
    }

    [Fact]
    public async Task CreateSessionToken_without_a_lifetime_sends_no_body()
    {
        await using var harness = await Harness.StartAsync();

        var token = await harness.Client.CreateSessionTokenAsync(Harness.ActiveSession);

        var request = harness.SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/sessions/sess_active_0001/tokens", request.Path);
        Assert.Null(request.Body);
        Assert.Equal("token", token.Object);
        Assert.StartsWith("eyJ", token.Jwt);
        Assert.DoesNotContain(token.Jwt, token.ToString());
    }

    [Fact]
    public async Task CreateSessionToken_with_a_lifetime_sends_expires_in_seconds()
    {
        await using var harness = await Harness.StartAsync();

        await harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, expiresInSeconds: 600);

        AssertJsonEqual("""{"expires_in_seconds":600}""", harness.SingleRequest().Body);
    }

    [Fact]
    public async Task CreateSessionToken_from_a_template_posts_to_the_template_path()
    {
        await using var harness = await Harness.StartAsync();

        var token = await harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, "custom_hasura");

        var request = harness.SingleRequest();
        Assert.Equal("/v1/sessions/sess_active_0001/tokens/custom_hasura", request.Path);
        Assert.Null(request.Body);
        Assert.Equal(3, token.Jwt.Split('.').Length);
    }

    [Fact]
    public async Task VerifySession_on_the_2025_03_12_version_posts_the_token_and_reads_the_session()
    {
        await using var harness = await Harness.StartAsync(options => options.ApiVersion = "2025-03-12");

        var session = await harness.Client.VerifySessionAsync(Harness.ActiveSession, RecordedVerifyToken);

        var request = harness.SingleRequest();
        Assert.Equal("/v1/sessions/sess_active_0001/verify", request.Path);
        Assert.Equal("2025-03-12", request.Headers["Clerk-API-Version"]);
        AssertJsonEqual(JsonSerializer.Serialize(new { token = RecordedVerifyToken }), request.Body);
        Assert.Equal(Harness.ActiveSession, session.Id);
    }

    [Fact]
    public async Task VerifySession_on_a_current_version_says_the_endpoint_was_retired_and_what_replaces_it()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.VerifySessionAsync(Harness.ActiveSession, RecordedVerifyToken));

        Assert.Equal(410, error.StatusCode);
        Assert.True(error.IsEndpointRetired);
        Assert.Equal("operation_deprecated", error.Code);
        Assert.Contains("retired", error.Message);
        Assert.Contains("/jwks", error.Message);
        Assert.Equal(ClerkOperation.VerifySession, error.Operation);
        Assert.Equal(Harness.ActiveSession, error.SessionId);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task GetJwks_reads_the_rsa_key()
    {
        await using var harness = await Harness.StartAsync();

        var jwks = await harness.Client.GetJwksAsync();

        var request = harness.SingleRequest();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/jwks", request.Path);
        var key = Assert.Single(jwks.Keys);
        Assert.Equal("RSA", key.Kty);
        Assert.Equal("RS256", key.Alg);
        Assert.Equal("ins_test_0001", key.Kid);
        Assert.False(string.IsNullOrEmpty(key.N));
        Assert.Equal("AQAB", key.E);
    }

    internal static string RecordedVerifyToken => RecordingValues.VerifyToken;

    internal static SessionRefreshRequest RefreshRequest() =>
        new(RecordingValues.ExpiredToken, RecordingValues.RefreshToken, RecordingValues.RequestOrigin);

    private static string RecordedRefreshBody(string? format) => JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["expired_token"] = RecordingValues.ExpiredToken,
        ["refresh_token"] = RecordingValues.RefreshToken,
        ["request_origin"] = RecordingValues.RequestOrigin,
        ["format"] = format,
    }.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value));

    internal static void AssertJsonEqual(string expected, string? actual)
    {
        Assert.NotNull(actual);
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual!);
        Assert.True(JsonElement.DeepEquals(expectedDocument.RootElement, actualDocument.RootElement), $"Expected {expected} but the request body was {actual}");
    }
}
