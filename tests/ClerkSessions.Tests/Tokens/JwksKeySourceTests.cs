using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Core;
using ClerkSessions.TestServer;
using static ClerkSessions.Tests.Tokens.TokenFactory;

namespace ClerkSessions.Tests.Tokens;

/// <summary>The JWKS cache: fetched through the client, refreshed on rotation, never hammered by made-up key ids.</summary>
public sealed class JwksKeySourceTests
{
    private static readonly TimeSpan PastRefreshInterval = JwksKeySource.DefaultRefreshInterval + TimeSpan.FromSeconds(1);

    // Shared by the class's tests (which xunit runs one at a time): making RSA keys is the slow part.
    private static readonly TestSigningKey Old = new("ins_key_old");
    private static readonly TestSigningKey New = new("ins_key_new");

    private readonly FakeClock _clock = new();

    private SessionTokenVerificationOptions ClockOptions() => Options(options => options.Now = () => _clock.Now);

    private static int JwksRequests(Harness harness) => harness.Server.Requests.Count(request => request.Path == "/v1/jwks");

    private JwksKeySource Source(ClerkSessionsClient client) => new(client.GetJwksAsync, clock: () => _clock.Now);

    [Fact]
    public async Task Keys_are_fetched_with_the_secret_key_once_and_then_cached()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(new ScriptedResponse { Body = SetJson(Old.Jwk()) });
        var keys = Source(harness.Client);
        var token = Old.Sign(Claims());

        var first = await SessionTokenVerifier.VerifyAsync(token, ClockOptions(), keys);
        var second = await SessionTokenVerifier.VerifyAsync(token, ClockOptions(), keys);

        Assert.True(first.IsValid, first.Message);
        Assert.True(second.IsValid, second.Message);
        var request = harness.SingleRequest();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/jwks", request.Path);
        Assert.Equal("Bearer " + Harness.SecretKey, request.Headers["Authorization"]);
        Assert.Equal(new[] { "ins_key_old" }, keys.KeyIds);
        Assert.Equal(_clock.Now, keys.FetchedAt);
        Assert.DoesNotContain(token, harness.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.SecretKey, keys.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_once_then_is_refused_without_further_requests()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(new ScriptedResponse { Body = SetJson(Old.Jwk()) }, new ScriptedResponse { Body = SetJson(Old.Jwk()) });
        var keys = Source(harness.Client);
        Assert.True((await SessionTokenVerifier.VerifyAsync(Old.Sign(Claims()), ClockOptions(), keys)).IsValid);
        _clock.Advance(PastRefreshInterval);

        var unknown = await SessionTokenVerifier.VerifyAsync(New.Sign(Claims()), ClockOptions(), keys);
        var again = await SessionTokenVerifier.VerifyAsync(New.Sign(Claims()), ClockOptions(), keys);
        var another = await SessionTokenVerifier.VerifyAsync(Sign(New.Rsa, Header("RS256", "ins_forged"), Claims()), ClockOptions(), keys);

        Assert.Equal(SessionTokenFailure.UnknownKey, unknown.FailureReason);
        Assert.Equal("None of the instance's signing keys has the token's key id 'ins_key_new'.", unknown.Message);
        Assert.Equal(SessionTokenFailure.UnknownKey, again.FailureReason);
        Assert.Equal(SessionTokenFailure.UnknownKey, another.FailureReason);
        Assert.Equal(2, JwksRequests(harness));
    }

    [Fact]
    public async Task A_rotated_key_is_found_by_one_refetch_and_cached_afterwards()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(
            new ScriptedResponse { Body = SetJson(Old.Jwk()) },
            new ScriptedResponse { Body = SetJson(New.Jwk(), Old.Jwk()) });
        var keys = Source(harness.Client);
        Assert.True((await SessionTokenVerifier.VerifyAsync(Old.Sign(Claims()), ClockOptions(), keys)).IsValid);
        _clock.Advance(PastRefreshInterval);

        var rotated = await SessionTokenVerifier.VerifyAsync(New.Sign(Claims()), ClockOptions(), keys);
        var rotatedAgain = await SessionTokenVerifier.VerifyAsync(New.Sign(Claims()), ClockOptions(), keys);
        var old = await SessionTokenVerifier.VerifyAsync(Old.Sign(Claims()), ClockOptions(), keys);

        Assert.True(rotated.IsValid, rotated.Message);
        Assert.Equal("ins_key_new", rotated.KeyId);
        Assert.True(rotatedAgain.IsValid, rotatedAgain.Message);
        Assert.True(old.IsValid, old.Message);
        Assert.Equal(2, JwksRequests(harness));
        Assert.Equal(new[] { "ins_key_new", "ins_key_old" }, keys.KeyIds.OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failed_fetch_is_the_clients_error_not_an_invalid_token()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 401, Operation = new[] { "GetJWKS" } });
        var token = Old.Sign(Claims());

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => SessionTokenVerifier.VerifyAsync(token, ClockOptions(), Source(harness.Client)));

        Assert.Equal(ClerkOperation.GetJwks, error.Operation);
        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain(token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, harness.Log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_fetch_is_not_repeated_for_a_kid_it_lacks()
    {
        var jwks = new JwksStub(Old.Jwk());
        var keys = jwks.Source(_clock);

        Assert.Null(await keys.FindAsync("ins_unknown", default));
        Assert.Null(await keys.FindAsync("ins_unknown", default));
        Assert.Null(await keys.FindAsync(null, default));

        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task A_storm_of_made_up_kids_costs_one_request_per_interval()
    {
        var jwks = new JwksStub(Old.Jwk()) { Delay = TimeSpan.FromMilliseconds(50) };
        var keys = jwks.Source(_clock);
        Assert.NotNull(await keys.FindAsync("ins_key_old", default));
        _clock.Advance(PastRefreshInterval);

        var found = await Task.WhenAll(Enumerable.Range(0, 50).Select(index => Task.Run(() => keys.FindAsync("ins_forged_" + index, default))));
        var afterwards = await keys.FindAsync("ins_forged_again", default);
        _clock.Advance(PastRefreshInterval);
        var nextInterval = await keys.FindAsync("ins_forged_later", default);

        Assert.All(found, Assert.Null);
        Assert.Null(afterwards);
        Assert.Null(nextInterval);
        Assert.Equal(3, jwks.Fetches);
    }

    [Fact]
    public async Task Concurrent_first_lookups_share_one_fetch()
    {
        var jwks = new JwksStub(Old.Jwk()) { Delay = TimeSpan.FromMilliseconds(50) };
        var keys = jwks.Source(_clock);

        var found = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => keys.FindAsync("ins_key_old", default))));

        Assert.All(found, key => Assert.Equal("ins_key_old", key!.KeyId));
        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task The_set_is_fetched_again_once_it_is_older_than_its_maximum_age()
    {
        var jwks = new JwksStub(Old.Jwk());
        var keys = jwks.Source(_clock);
        Assert.NotNull(await keys.FindAsync("ins_key_old", default));

        _clock.Advance(JwksKeySource.DefaultMaxAge - TimeSpan.FromSeconds(1));
        Assert.NotNull(await keys.FindAsync("ins_key_old", default));
        Assert.Equal(1, jwks.Fetches);

        jwks.Set = Set(New.Jwk());
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await keys.FindAsync("ins_key_old", default));
        Assert.NotNull(await keys.FindAsync("ins_key_new", default));
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_cached_keys_and_counts_against_the_interval()
    {
        var jwks = new JwksStub(Old.Jwk());
        var keys = jwks.Source(_clock);
        Assert.NotNull(await keys.FindAsync("ins_key_old", default));
        _clock.Advance(PastRefreshInterval);
        jwks.Failure = new HttpRequestException("down");

        await Assert.ThrowsAsync<HttpRequestException>(() => keys.FindAsync("ins_key_new", default));
        var cached = await keys.FindAsync("ins_key_old", default);
        var throttled = await keys.FindAsync("ins_key_new", default);

        Assert.NotNull(cached);
        Assert.Null(throttled);
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task Only_RSA_signing_keys_for_RS256_are_used()
    {
        using var small = new TestSigningKey("ins_small", 1024);
        var symmetric = new JsonWebKey { Kid = "ins_oct", Kty = "oct", Alg = "HS256", Use = "sig", AdditionalFields = new() { ["k"] = System.Text.Json.JsonDocument.Parse("\"c2VjcmV0\"").RootElement } };
        var elliptic = new JsonWebKey { Kid = "ins_ec", Kty = "EC", Alg = "ES256", Use = "sig", Crv = "P-256", X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };
        var forEncryption = New.Jwk(use: "enc");
        forEncryption.Kid = "ins_enc";
        var jwks = new JwksStub(
            symmetric,
            elliptic,
            Old.Jwk(alg: "RS384"),
            forEncryption,
            small.Jwk(),
            new JsonWebKey { Kid = "ins_padded", Kty = "RSA", N = New.Jwk().N + "==", E = "AQAB" },
            new JsonWebKey { Kid = "ins_even_exponent", Kty = "RSA", N = New.Jwk().N, E = "AQAA" },
            new JsonWebKey { Kid = "ins_no_modulus", Kty = "RSA", E = "AQAB" },
            new JsonWebKey { Kty = "RSA", N = New.Jwk().N, E = "AQAB" },
            New.Jwk(alg: null, use: null));
        var keys = jwks.Source(_clock);

        Assert.NotNull(await keys.FindAsync("ins_key_new", default));
        foreach (var kid in new[] { "ins_oct", "ins_ec", "ins_key_old", "ins_enc", "ins_small", "ins_padded", "ins_even_exponent", "ins_no_modulus" })
        {
            Assert.Null(await keys.FindAsync(kid, default));
        }

        Assert.Equal(new[] { "ins_key_new" }, keys.KeyIds);
        var confusion = SignHs256(System.Text.Encoding.ASCII.GetBytes("secret"), Header("HS256", "ins_oct"), Claims());
        Assert.Equal(SessionTokenFailure.UnsupportedAlgorithm, (await SessionTokenVerifier.VerifyAsync(confusion, Options(), keys)).FailureReason);
        Assert.Equal(SessionTokenFailure.UnknownKey, (await SessionTokenVerifier.VerifyAsync(small.Sign(Claims()), Options(), keys)).FailureReason);
    }

    [Fact]
    public async Task A_modulus_with_a_leading_zero_octet_is_read_as_the_same_key()
    {
        var jwk = Old.Jwk();
        jwk.N = Encode([0x00, .. System.Buffers.Text.Base64Url.DecodeFromChars(jwk.N)]);
        var jwks = new JwksStub(jwk);

        var result = await SessionTokenVerifier.VerifyAsync(Old.Sign(Claims()), Options(), jwks.Source(_clock));

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task The_first_key_with_an_id_wins()
    {
        var jwks = new JwksStub(new JsonWebKey { Kid = "ins_key_old", Kty = "RSA", Alg = "RS256", N = New.Jwk().N, E = "AQAB" }, Old.Jwk());

        var result = await SessionTokenVerifier.VerifyAsync(Old.Sign(Claims()), Options(), jwks.Source(_clock));

        Assert.Equal(SessionTokenFailure.InvalidSignature, result.FailureReason);
    }

    [Fact]
    public async Task An_empty_or_null_set_has_no_keys()
    {
        var jwks = new JwksStub { Set = new JsonWebKeySet { Keys = null! } };
        var keys = jwks.Source(_clock);

        Assert.Null(await keys.FindAsync("ins_key_old", default));
        Assert.Empty(keys.KeyIds);
        Assert.StartsWith("JWKS with 0 usable key(s), fetched ", keys.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_rejects_nonsense_settings_and_starts_empty()
    {
        Assert.Throws<ArgumentNullException>(() => new JwksKeySource(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JwksKeySource(_ => Task.FromResult(new JsonWebKeySet()), maxAge: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JwksKeySource(_ => Task.FromResult(new JsonWebKeySet()), refreshInterval: TimeSpan.FromSeconds(-1)));
        var keys = new JwksKeySource(_ => Task.FromResult(new JsonWebKeySet()));
        Assert.Null(keys.FetchedAt);
        Assert.Equal("JWKS, not fetched yet", keys.ToString());
        Assert.Equal(TimeSpan.FromHours(1), keys.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(10), keys.RefreshInterval);
    }

    [Fact]
    public async Task Cancelling_a_lookup_that_waits_for_a_fetch_throws()
    {
        var jwks = new JwksStub(Old.Jwk()) { Delay = TimeSpan.FromSeconds(30) };
        var keys = jwks.Source(_clock);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => keys.FindAsync("ins_key_old", cancellation.Token));
    }
}
