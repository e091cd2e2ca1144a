using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;
using ClerkSessions.TestServer;
using ClerkSessions.Tests.Core;
using ClerkSessions.Tests.Tokens;

namespace ClerkSessions.Tests.Operations;

/// <summary>Test-ClerkSessionToken (keys from -JwtKey, $env:CLERK_JWT_KEY or the connection's JWKS) and its -UseVerifyEndpoint through the host seam.</summary>
public sealed class TokenVerificationOperationTests : IDisposable
{
    private readonly TestSigningKey _key = new("ins_cmd_0001");

    public void Dispose() => _key.Dispose();

    /// <summary>A token Clerk would issue now, for the default session, valid for an hour.</summary>
    private string FreshToken(TestSigningKey? key = null) => (key ?? _key).Sign(TokenFactory.Claims(DateTimeOffset.UtcNow));

    private static ClerkConnection MustNotConnect() => throw new Xunit.Sdk.XunitException("an offline verification asked for a connection");

    [Fact]
    public void A_PEM_key_in_the_environment_verifies_offline_without_asking_for_a_connection()
    {
        using var host = new RecordingHost();
        host.EnvironmentVariables[VerifySessionTokenOperation.JwtKeyVariable] = _key.Rsa.ExportSubjectPublicKeyInfoPem();
        using var verify = VerifySessionTokenOperation.Create(host, jwtKey: null, MustNotConnect);

        verify.Test(new SessionTokenTest(FreshToken()));
        verify.Test(new SessionTokenTest(FreshToken()) { SessionId = "sess_someone_else" });

        Assert.Equal(new object[] { true, false }, host.Objects);
        Assert.Empty(host.Errors);
        Assert.Contains(host.Verbose, line => line.Contains("offline", StringComparison.Ordinal) && line.Contains("$env:CLERK_JWT_KEY", StringComparison.Ordinal));
        Assert.Contains(host.Verbose, line => line.Contains("SessionMismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_is_checked_against_the_session_it_must_belong_to()
    {
        using var host = new RecordingHost();
        using var verify = VerifySessionTokenOperation.Create(host, _key.Rsa.ExportSubjectPublicKeyInfoPem(), MustNotConnect);
        var jwt = FreshToken();

        verify.Test(new SessionTokenTest(jwt) { SessionId = TokenFactory.SessionId });
        verify.Test(new SessionTokenTest(jwt) { SessionId = "sess_someone_else" });

        Assert.Equal(new object[] { true, false }, host.Objects);
    }

    [Fact]
    public void JwtKey_wins_over_the_environment()
    {
        using var host = new RecordingHost();
        host.EnvironmentVariables[VerifySessionTokenOperation.JwtKeyVariable] = "not a key";
        using var verify = VerifySessionTokenOperation.Create(host, _key.Rsa.ExportRSAPublicKeyPem(), MustNotConnect);

        verify.Test(new SessionTokenTest(FreshToken()));

        Assert.Equal(new object[] { true }, host.Objects);
        Assert.Contains(host.Verbose, line => line.Contains("-JwtKey", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unusable_JwtKey_stops_the_command_without_repeating_the_key()
    {
        using var host = new RecordingHost();
        using var other = RSA();
        var privateKey = other.ExportPkcs8PrivateKeyPem();

        var stopped = Assert.Throws<CommandTerminatingException>(() => VerifySessionTokenOperation.Create(host, privateKey, MustNotConnect));

        Assert.Equal("ClerkJwtKeyInvalid", stopped.Error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, stopped.Error.Category);
        Assert.Equal("-JwtKey", stopped.Error.TargetObject);
        var body = privateKey.Split('\n')[1];
        Assert.DoesNotContain(body, stopped.Error.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(body, stopped.Error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_PEM_key_the_connections_JWKS_is_fetched_once_and_reused()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Server.Script(new ScriptedResponse { Body = TokenFactory.SetJson(_key.Jwk()) });

        using (var first = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection))
        {
            first.Test(new SessionTokenTest(FreshToken()));
        }

        using (var second = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection))
        {
            second.Test(new SessionTokenTest(FreshToken()) { Detailed = true });
        }

        Assert.Single(harness.RequestsTo("GET", "/jwks"));
        Assert.DoesNotContain(harness.Requests, request => request.Path.Contains("/sessions", StringComparison.Ordinal));
        Assert.True((bool)harness.Host.Objects[0]);
        var detailed = Assert.IsType<SessionTokenVerification>(harness.Host.Objects[1]);
        Assert.True(detailed.IsValid);
        Assert.Equal(TokenFactory.SessionId, detailed.SessionId);
        Assert.Equal(TokenFactory.UserId, detailed.UserId);
        Assert.Equal(SessionTokenFailure.None, detailed.FailureReason);
    }

    [Fact]
    public async Task A_token_from_an_unknown_key_is_false_not_an_error_and_a_key_set_just_fetched_is_not_fetched_again()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var stranger = new TestSigningKey("ins_stranger");
        harness.Server.Script(new ScriptedResponse { Body = TokenFactory.SetJson(_key.Jwk()) });
        using var verify = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection);

        verify.Test(new SessionTokenTest(FreshToken(stranger)) { Detailed = true });

        var result = Assert.IsType<SessionTokenVerification>(Assert.Single(harness.Host.Objects));
        Assert.Equal(SessionTokenFailure.UnknownKey, result.FailureReason);
        Assert.Single(harness.RequestsTo("GET", "/jwks"));
        Assert.Empty(harness.Host.Errors);
    }

    [Theory]
    [InlineData(403, "ClerkPermissionDenied", "You are not authorized to perform this request")]
    [InlineData(404, "ClerkJwksNotFound", "Resource not found")]
    public async Task When_the_keys_cannot_be_fetched_there_is_an_error_and_no_answer(int status, string errorId, string clerksMessage)
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = status, Operation = new[] { "GetJWKS" } });
        using var verify = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection);

        verify.Test(new SessionTokenTest(FreshToken()) { SessionId = TokenFactory.SessionId });

        Assert.Empty(harness.Host.Objects);
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(TokenFactory.SessionId, error.TargetObject);
        Assert.Contains(clerksMessage, error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_secret_key_stops_the_command()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 401, Operation = new[] { "GetJWKS" } });
        using var verify = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection);

        var stopped = Assert.Throws<CommandTerminatingException>(() => verify.Test(new SessionTokenTest(FreshToken())));

        Assert.Equal("ClerkSecretKeyRejected", stopped.Error.ErrorId);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("MIIBnotakey")]
    public void A_JwtKey_given_but_blank_or_garbage_is_refused_not_skipped(string jwtKey)
    {
        using var host = new RecordingHost();

        var stopped = Assert.Throws<CommandTerminatingException>(() => VerifySessionTokenOperation.Create(host, jwtKey, MustNotConnect));

        Assert.Equal("ClerkJwtKeyInvalid", stopped.Error.ErrorId);
    }

    [Fact]
    public void A_blank_CLERK_JWT_KEY_counts_as_unset()
    {
        using var host = new RecordingHost();
        host.EnvironmentVariables[VerifySessionTokenOperation.JwtKeyVariable] = "  ";

        Assert.Throws<Xunit.Sdk.XunitException>(() => VerifySessionTokenOperation.Create(host, null, MustNotConnect));
    }

    [Fact]
    public void A_negative_clock_skew_is_refused()
    {
        using var host = new RecordingHost();
        using var verify = VerifySessionTokenOperation.Create(host, _key.Rsa.ExportSubjectPublicKeyInfoPem(), MustNotConnect);

        var stopped = Assert.Throws<CommandTerminatingException>(() => verify.Test(new SessionTokenTest(FreshToken()) { ClockSkew = TimeSpan.FromSeconds(-1) }));

        Assert.Equal("ClerkInvalidParameters", stopped.Error.ErrorId);
        Assert.Equal("The clock skew (-ClockSkew) cannot be negative.", stopped.Error.Details);
        Assert.Empty(host.Objects);
    }

    [Fact]
    public void Authorized_parties_and_clock_skew_reach_the_verifier()
    {
        using var host = new RecordingHost();
        using var verify = VerifySessionTokenOperation.Create(host, _key.Rsa.ExportSubjectPublicKeyInfoPem(), MustNotConnect);
        var expiredFiveSecondsAgo = _key.Sign(TokenFactory.Claims(DateTimeOffset.UtcNow).With("exp", DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds()));

        verify.Test(new SessionTokenTest(FreshToken()) { AuthorizedParties = new[] { TokenFactory.Party } });
        verify.Test(new SessionTokenTest(FreshToken()) { AuthorizedParties = new[] { "https://evil.example.com" } });
        verify.Test(new SessionTokenTest(expiredFiveSecondsAgo) { ClockSkew = TimeSpan.FromMinutes(1) });
        verify.Test(new SessionTokenTest(expiredFiveSecondsAgo) { ClockSkew = TimeSpan.Zero });

        Assert.Equal(new object[] { true, false, true, false }, host.Objects);
    }

    [Fact]
    public async Task The_token_never_appears_in_any_output_log_or_error()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.DebugEnabled = true;
        harness.Server.Script(new ScriptedResponse { Body = TokenFactory.SetJson(_key.Jwk()) });
        using var stranger = new TestSigningKey("ins_stranger");
        var tokens = new[] { FreshToken(), FreshToken(stranger), "garbage.token.value", _key.Sign(TokenFactory.Claims(DateTimeOffset.UtcNow).With("sid", "sess_other")) };
        using var verify = VerifySessionTokenOperation.Create(harness.Host, null, () => harness.Connection);

        foreach (var token in tokens)
        {
            verify.Test(new SessionTokenTest(token) { Detailed = true, SessionId = TokenFactory.SessionId });
        }

        using var endpoint = new VerifyEndpointOperation(harness.Host, harness.Connection);
        endpoint.Verify(Harness.ActiveSession, tokens[0]);

        var written = harness.Host.Verbose.Concat(harness.Host.Debug)
            .Concat(harness.Host.Errors.SelectMany(error => new[] { error.Details ?? "", error.Exception.Message, error.RecommendedAction ?? "" }))
            .Concat(harness.Host.Objects.OfType<SessionTokenVerification>().SelectMany(result => new[] { result.ToString(), result.Message }.Concat(result.Claims.Values.Select(value => value?.ToString() ?? ""))))
            .ToList();
        Assert.NotEmpty(harness.Host.Debug);
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(written, line => line.Contains(TokenFactory.Signature(token), StringComparison.Ordinal) || line.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_verify_endpoint_answers_410_with_an_error_saying_to_drop_UseVerifyEndpoint()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var endpoint = new VerifyEndpointOperation(harness.Host, harness.Connection);

        endpoint.Verify(Harness.ActiveSession, FreshToken());

        Assert.Empty(harness.Host.Objects);
        var request = Assert.Single(harness.Requests);
        Assert.Equal(("POST", "/v1/sessions/sess_active_0001/verify"), (request.Method, request.Path));
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkEndpointRetired", error.ErrorId);
        Assert.Equal(ErrorCategory.NotImplemented, error.Category);
        Assert.Equal(Harness.ActiveSession, error.TargetObject);
        Assert.Contains("Drop -UseVerifyEndpoint", error.Details, StringComparison.Ordinal);
        Assert.Contains("Clerk has retired POST /sessions/{session_id}/verify", error.Details, StringComparison.Ordinal);
        Assert.Contains("HTTP 410", error.Details, StringComparison.Ordinal);
        Assert.Contains("Test-ClerkSessionToken", error.RecommendedAction, StringComparison.Ordinal);

        // Nothing said twice in one error: Clerk's account once in the details, the way out split between them.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Details!, "locally"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Details!, "UseVerifyEndpoint"));
        Assert.DoesNotContain("UseVerifyEndpoint", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_an_old_pinned_API_version_the_verify_endpoint_answers_with_the_session()
    {
        await using var harness = await CommandHarness.StartAsync();
        var store = new ConnectionStore();
        var connection = ConnectOperation.Connect(harness.Host, store, Secure(Harness.SecretKey), harness.Server.BaseUrl, options => options.ApiVersion = "2025-03-12", handedOut: false);
        try
        {
            using var endpoint = new VerifyEndpointOperation(harness.Host, connection);
            var recorded = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Harness.RecordingsDirectory, "VerifySession-200.json")))
                .RootElement.GetProperty("request").GetProperty("body").GetProperty("token").GetString()!;

            endpoint.Verify(Harness.ActiveSession, recorded);

            Assert.Equal(new object[] { true }, harness.Host.Objects);
            Assert.Empty(harness.Host.Errors);
        }
        finally
        {
            store.Disconnect();
        }
    }

    private static System.Security.SecureString Secure(string text) => new System.Net.NetworkCredential("", text).SecurePassword;

    private static System.Security.Cryptography.RSA RSA() => System.Security.Cryptography.RSA.Create(2048);
}
