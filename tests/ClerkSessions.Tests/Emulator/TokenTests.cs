using System.Net;
using System.Text.Json;
using ClerkSessions.Core;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Tests.Emulator;

/// <summary>
/// The emulator's session tokens verify the way the module verifies Clerk's: with ClerkSessions.Core's verifier
/// against the keys the emulator serves at <c>GET /v1/jwks</c>, fetched by ClerkSessions.Core's own client.
/// </summary>
public sealed class TokenTests : IDisposable
{
    private readonly EmulatorHost _host = EmulatorHost.Start();
    private readonly ClerkSecretKey _key;
    private readonly ClerkSessionsClient _client;

    public TokenTests()
    {
        _key = ClerkSecretKey.FromSecureString(_host.Emulator.SecretKey);
        _client = new ClerkSessionsClient(_key, new ClerkClientOptions { BaseUrl = _host.Emulator.ApiUrl, MaxRetries = 0 });
    }

    /// <summary>A key source that fetches again as soon as a token names a key it lacks.</summary>
    private JwksKeySource Keys() => new(_client.GetJwksAsync, refreshInterval: TimeSpan.Zero);

    private static SessionTokenVerificationOptions For(string? sessionId = null, params string[] parties) =>
        new() { SessionId = sessionId, AuthorizedParties = parties.Length == 0 ? null : parties };

    private async Task<(string Session, string User)> ActiveAsync()
    {
        var session = (await _host.AllSessionsAsync()).First(item => item.GetProperty("status").GetString() == "active");
        return (session.GetProperty("id").GetString()!, session.GetProperty("user_id").GetString()!);
    }

    private async Task<List<string?>> JwksKeyIdsAsync()
    {
        var (_, body) = await _host.GetJsonAsync("jwks");
        return body.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()).ToList();
    }

    [Fact]
    public async Task A_session_token_verifies_against_the_emulators_JWKS_with_its_session_user_and_a_60_second_life()
    {
        var (session, user) = await ActiveAsync();
        var token = await _host.SessionTokenAsync(session);

        var result = await SessionTokenVerifier.VerifyAsync(token, For(session), Keys());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(session, result.SessionId);
        Assert.Equal(user, result.UserId);
        Assert.Equal(_host.Emulator.SigningKeyId, result.KeyId);
        Assert.Equal(TimeSpan.FromSeconds(60), result.ExpiresAt - result.IssuedAt);
        Assert.InRange(result.IssuedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(3600)]
    [InlineData(315360000)]
    public async Task Expires_in_seconds_sets_the_tokens_life(int seconds)
    {
        var (session, _) = await ActiveAsync();
        var token = await _host.SessionTokenAsync(session, json: JsonSerializer.Serialize(new { expires_in_seconds = seconds }));

        var result = await SessionTokenVerifier.VerifyAsync(token, For(session), Keys());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.ExpiresAt - result.IssuedAt);
    }

    [Fact]
    public async Task A_token_for_one_session_does_not_pass_for_another_and_a_changed_token_does_not_verify()
    {
        var sessions = (await _host.AllSessionsAsync()).Where(item => item.GetProperty("status").GetString() == "active").Select(item => item.GetProperty("id").GetString()!).ToList();
        var token = await _host.SessionTokenAsync(sessions[0]);
        var payload = token.Split('.')[1];
        var changed = token.Replace(payload, payload[..^2] + (payload[^2] == 'A' ? "B" : "A") + payload[^1], StringComparison.Ordinal);

        var other = await SessionTokenVerifier.VerifyAsync(token, For(sessions[1]), Keys());
        var tampered = await SessionTokenVerifier.VerifyAsync(changed, For(), Keys());

        Assert.Equal(SessionTokenFailure.SessionMismatch, other.FailureReason);
        Assert.NotEqual(SessionTokenFailure.None, tampered.FailureReason);
    }

    [Theory]
    [InlineData("hasura", "https://hasura.io/jwt/claims")]
    [InlineData("supabase", "role")]
    public async Task A_template_token_verifies_and_carries_the_templates_claims_instead_of_sid(string template, string claim)
    {
        var (session, user) = await ActiveAsync();
        var token = await _host.SessionTokenAsync(session, template);

        var result = await SessionTokenVerifier.VerifyAsync(token, For(), Keys());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(user, result.UserId);
        Assert.Null(result.SessionId);
        Assert.True(EmulatorHost.Payload(token).TryGetProperty(claim, out _));
        Assert.Contains(template, _host.Emulator.TemplateNames);
    }

    [Fact]
    public async Task After_a_rotation_new_tokens_carry_the_new_kid_the_JWKS_serves_both_keys_and_older_tokens_still_verify()
    {
        var (session, _) = await ActiveAsync();
        var keys = Keys();
        var oldKid = _host.Emulator.SigningKeyId;
        var before = await _host.SessionTokenAsync(session);
        Assert.True((await SessionTokenVerifier.VerifyAsync(before, For(session), keys)).IsValid);

        var newKid = _host.Emulator.RotateSigningKey();
        var after = await _host.SessionTokenAsync(session);

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, _host.Emulator.SigningKeyId);
        Assert.Equal(oldKid, EmulatorHost.Header(before).GetProperty("kid").GetString());
        Assert.Equal(newKid, EmulatorHost.Header(after).GetProperty("kid").GetString());
        Assert.Equal(new[] { newKid, oldKid }, await JwksKeyIdsAsync());
        var afterResult = await SessionTokenVerifier.VerifyAsync(after, For(session), keys);
        Assert.True(afterResult.IsValid, afterResult.Message);
        var beforeResult = await SessionTokenVerifier.VerifyAsync(before, For(session), keys);
        Assert.True(beforeResult.IsValid, beforeResult.Message);
        var fresh = await SessionTokenVerifier.VerifyAsync(before, For(session), Keys());
        Assert.True(fresh.IsValid, fresh.Message);
    }

    [Fact]
    public async Task A_second_rotation_retires_the_oldest_key()
    {
        var (session, _) = await ActiveAsync();
        var oldest = await _host.SessionTokenAsync(session);
        var oldestKid = _host.Emulator.SigningKeyId;

        var middleKid = _host.Emulator.RotateSigningKey();
        var newestKid = _host.Emulator.RotateSigningKey();
        var result = await SessionTokenVerifier.VerifyAsync(oldest, For(session), Keys());

        Assert.Equal(new[] { newestKid, middleKid }, await JwksKeyIdsAsync());
        Assert.Equal(SessionTokenFailure.UnknownKey, result.FailureReason);
        Assert.DoesNotContain(oldestKid, await JwksKeyIdsAsync());
    }

    [Fact]
    public async Task Browser_tokens_hold_an_expired_token_the_emulator_signed_and_refresh_once_then_answer_consumed()
    {
        var (session, user) = await ActiveAsync();
        var (expired, refresh, origin) = _host.BrowserTokens(session, "https://shop.example.org");
        var body = EmulatorHost.RefreshBody(expired, refresh, origin);

        var expiredResult = await SessionTokenVerifier.VerifyAsync(expired, For(session), Keys());
        var (firstStatus, first) = await _host.PostJsonAsync($"sessions/{session}/refresh", body);
        var (secondStatus, second) = await _host.PostJsonAsync($"sessions/{session}/refresh", body);

        Assert.Equal(SessionTokenFailure.Expired, expiredResult.FailureReason);
        Assert.Equal("https://shop.example.org", expiredResult.AuthorizedParty);
        Assert.Equal(HttpStatusCode.OK, firstStatus);
        var refreshed = await SessionTokenVerifier.VerifyAsync(first.GetProperty("jwt").GetString(), For(session, origin), Keys());
        Assert.True(refreshed.IsValid, refreshed.Message);
        Assert.Equal(user, refreshed.UserId);
        Assert.Equal(HttpStatusCode.Unauthorized, secondStatus);
        Assert.Equal("session_refresh_expired_session_token_consumed", EmulatorHost.ErrorCode(second));
    }

    [Fact]
    public async Task A_refresh_in_cookie_format_sets_a_session_cookie_holding_a_valid_token()
    {
        var (session, _) = await ActiveAsync();
        var (expired, refresh, origin) = _host.BrowserTokens(session);

        var (status, body) = await _host.PostJsonAsync($"sessions/{session}/refresh", EmulatorHost.RefreshBody(expired, refresh, origin, "cookie"));

        Assert.Equal(HttpStatusCode.OK, status);
        var cookies = body.GetProperty("cookies").EnumerateArray().Select(cookie => cookie.GetString()!).ToList();
        var sessionCookie = Assert.Single(cookies, cookie => cookie.StartsWith("__session=", StringComparison.Ordinal));
        Assert.Contains(cookies, cookie => cookie.StartsWith("__client_uat=", StringComparison.Ordinal));
        var jwt = sessionCookie["__session=".Length..sessionCookie.IndexOf(';', StringComparison.Ordinal)];
        var result = await SessionTokenVerifier.VerifyAsync(jwt, For(session, origin), Keys());
        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task Browser_tokens_signed_before_a_rotation_still_refresh()
    {
        var (session, _) = await ActiveAsync();
        var (expired, refresh, origin) = _host.BrowserTokens(session);
        _host.Emulator.RotateSigningKey();

        var (status, body) = await _host.PostJsonAsync($"sessions/{session}/refresh", EmulatorHost.RefreshBody(expired, refresh, origin));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_host.Emulator.SigningKeyId, EmulatorHost.Header(body.GetProperty("jwt").GetString()!).GetProperty("kid").GetString());
    }

    [Fact]
    public void Browser_tokens_for_a_session_the_emulator_does_not_have_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _host.Emulator.GetBrowserTokens("sess_2nothere000000000000000000"));
    }

    public void Dispose()
    {
        _client.Dispose();
        _key.Dispose();
        _host.Dispose();
    }
}
