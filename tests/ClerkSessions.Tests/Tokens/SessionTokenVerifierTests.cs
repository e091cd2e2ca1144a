using System.Security.Cryptography;
using System.Text;
using ClerkSessions.Core;
using ClerkSessions.Core.Tokens;
using static ClerkSessions.Tests.Tokens.TokenFactory;

namespace ClerkSessions.Tests.Tokens;

/// <summary>The checks of networkless session-token verification, against keys served by a delegate.</summary>
public sealed class SessionTokenVerifierTests
{
    // Shared by the class's tests (which xunit runs one at a time): making RSA keys is the slow part.
    private static readonly TestSigningKey Key = new("ins_key_1");
    private static readonly TestSigningKey Impostor = new("ins_key_1");
    private static readonly TestSigningKey Attacker = new("attacker");

    private readonly JwksStub _jwks = new(Key.Jwk());

    private Task<SessionTokenVerification> Verify(string? token, SessionTokenVerificationOptions? options = null) =>
        SessionTokenVerifier.VerifyAsync(token, options ?? Options(), _jwks.Source());

    private static void AssertRefused(SessionTokenFailure expected, SessionTokenVerification result)
    {
        Assert.False(result.IsValid, result.Message);
        Assert.Equal(expected, result.FailureReason);
    }

    [Fact]
    public async Task A_valid_token_gives_its_ids_times_and_claims()
    {
        var result = await Verify(Key.Sign(Claims()));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(SessionTokenFailure.None, result.FailureReason);
        Assert.Equal($"The token is valid for session '{SessionId}'.", result.Message);
        Assert.Equal(SessionId, result.SessionId);
        Assert.Equal(UserId, result.UserId);
        Assert.Equal(Party, result.AuthorizedParty);
        Assert.Equal(Issuer, result.Issuer);
        Assert.Equal("ins_key_1", result.KeyId);
        Assert.Equal(Now.AddSeconds(-10), result.IssuedAt);
        Assert.Equal(Now.AddSeconds(-20), result.NotBefore);
        Assert.Equal(Now.AddHours(1), result.ExpiresAt);
        Assert.Equal(1, _jwks.Fetches);
    }

    [Fact]
    public async Task Claims_are_plain_values_sorted_by_name()
    {
        var result = await Verify(Key.Sign(Claims().With("big", 1.5e300).With("ok", true).With("none", null)));

        Assert.Equal(result.Claims.Keys.OrderBy(name => name, StringComparer.Ordinal), result.Claims.Keys);
        Assert.Equal(SessionId, result.Claims["sid"]);
        Assert.Equal(2L, result.Claims["v"]);
        Assert.Equal(Now.ToUnixTimeSeconds() + 3600, result.Claims["exp"]);
        Assert.Equal(1.5e300, result.Claims["big"]);
        Assert.Equal(true, result.Claims["ok"]);
        Assert.Null(result.Claims["none"]);
        Assert.Equal(new object?[] { 5L, -1L }, Assert.IsAssignableFrom<IEnumerable<object?>>(result.Claims["fva"]));
        var organization = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Claims["o"]);
        Assert.Equal("admin", organization["rol"]);
        Assert.Null(organization["slg"]);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_the_time_and_skew_in_the_message()
    {
        var result = await Verify(Key.Sign(Claims().With("exp", Now.AddMinutes(-1).ToUnixTimeSeconds())));

        AssertRefused(SessionTokenFailure.Expired, result);
        Assert.Equal("The token expired at 2026-05-12T09:59:00Z (clock skew 00:00:05).", result.Message);
        Assert.Equal(SessionId, result.SessionId);
        Assert.Equal(Now.AddMinutes(-1), result.ExpiresAt);
    }

    [Theory]
    [InlineData(-4, 5, true)]
    [InlineData(-5, 5, false)]
    [InlineData(-6, 5, false)]
    [InlineData(1, 0, true)]
    [InlineData(0, 0, false)]
    [InlineData(-100, 120, true)]
    public async Task Expiry_allows_the_clock_skew_and_no_more(int expiresInSeconds, int skewSeconds, bool valid)
    {
        var options = Options(options => options.ClockSkew = TimeSpan.FromSeconds(skewSeconds));

        var result = await Verify(Key.Sign(Claims().With("exp", Now.ToUnixTimeSeconds() + expiresInSeconds)), options);

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid ? SessionTokenFailure.None : SessionTokenFailure.Expired, result.FailureReason);
    }

    [Theory]
    [InlineData(6, false)]
    [InlineData(5, true)]
    [InlineData(-1, true)]
    public async Task A_token_not_valid_yet_is_refused_beyond_the_skew(int notBeforeInSeconds, bool valid)
    {
        var result = await Verify(Key.Sign(Claims().With("nbf", Now.ToUnixTimeSeconds() + notBeforeInSeconds)));

        Assert.Equal(valid ? SessionTokenFailure.None : SessionTokenFailure.NotYetValid, result.FailureReason);
        if (!valid)
        {
            Assert.Equal("The token is not valid before 2026-05-12T10:00:06Z (clock skew 00:00:05).", result.Message);
        }
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_refused()
    {
        var claims = Claims().Without("nbf").With("iat", Now.AddMinutes(1).ToUnixTimeSeconds());

        var result = await Verify(Key.Sign(claims));

        AssertRefused(SessionTokenFailure.IssuedInFuture, result);
        Assert.Contains("2026-05-12T10:01:00Z", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Times_are_optional_except_the_expiry()
    {
        var valid = await Verify(Key.Sign(Claims().Without("nbf").Without("iat")));
        var noExpiry = await Verify(Key.Sign(Claims().Without("exp")));

        Assert.True(valid.IsValid, valid.Message);
        Assert.Null(valid.NotBefore);
        AssertRefused(SessionTokenFailure.Malformed, noExpiry);
        Assert.Contains("(exp)", noExpiry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clock_skew_defaults_to_five_seconds_and_cannot_be_negative()
    {
        var options = new SessionTokenVerificationOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), options.ClockSkew);
        Assert.Throws<ClerkInvalidArgumentException>(() => options.ClockSkew = TimeSpan.FromTicks(-1));
        Assert.Throws<ArgumentNullException>(() => options.Now = null!);
        Assert.InRange(options.Now(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_tampered_payload_breaks_the_signature()
    {
        var token = Key.Sign(Claims());
        var parts = token.Split('.');
        var forged = parts[0] + "." + Part(Claims().With("sub", "user_admin")) + "." + parts[2];

        var result = await Verify(forged);

        AssertRefused(SessionTokenFailure.InvalidSignature, result);
        Assert.Equal("user_admin", result.UserId);
        Assert.Contains("ins_key_1", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("extend")]
    [InlineData("empty")]
    [InlineData("zeros")]
    public async Task A_tampered_signature_is_refused(string how)
    {
        var token = Key.Sign(Claims());
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(Signature(token));
        var tampered = how switch
        {
            "flip" => signature.Select((value, index) => index == 100 ? (byte)(value ^ 1) : value).ToArray(),
            "truncate" => signature[..^1],
            "extend" => [.. signature, 0],
            "empty" => [],
            _ => new byte[signature.Length],
        };

        var result = await Verify(token[..(token.LastIndexOf('.') + 1)] + Encode(tampered));

        AssertRefused(SessionTokenFailure.InvalidSignature, result);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_the_same_kid_is_refused()
    {
        var result = await Verify(Impostor.Sign(Claims()));

        AssertRefused(SessionTokenFailure.InvalidSignature, result);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("")]
    public async Task Unsigned_tokens_are_refused_before_any_key_is_fetched(string alg)
    {
        var unsigned = Unsigned(Header(alg, "ins_key_1"), Claims());
        var withStolenSignature = unsigned + Signature(Key.Sign(Claims()));

        var first = await Verify(unsigned);
        var second = await Verify(withStolenSignature);

        AssertRefused(SessionTokenFailure.UnsupportedAlgorithm, first);
        AssertRefused(SessionTokenFailure.UnsupportedAlgorithm, second);
        Assert.Equal($"The token is signed with '{alg}'; only RS256 is accepted.", first.Message);
        Assert.Equal(0, _jwks.Fetches);
    }

    [Fact]
    public async Task HS256_keyed_with_the_public_key_is_refused()
    {
        var spki = Key.Rsa.ExportSubjectPublicKeyInfo();
        var secrets = new[]
        {
            Encoding.ASCII.GetBytes(Key.Rsa.ExportSubjectPublicKeyInfoPem()),
            Encoding.ASCII.GetBytes(Key.Rsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            spki,
            Key.Rsa.ExportRSAPublicKey(),
            Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Key.Jwk())),
        };
        var pem = new PemJwtKeySource(Key.Rsa.ExportSubjectPublicKeyInfoPem());

        foreach (var secret in secrets)
        {
            var token = SignHs256(secret, Header("HS256", "ins_key_1"), Claims());
            AssertRefused(SessionTokenFailure.UnsupportedAlgorithm, await Verify(token));
            AssertRefused(SessionTokenFailure.UnsupportedAlgorithm, await SessionTokenVerifier.VerifyAsync(token, Options(), pem));
        }

        Assert.Equal(0, _jwks.Fetches);
    }

    public static TheoryData<string, string> OtherRsaAlgorithms => new()
    {
        { "RS384", "pkcs1-384" },
        { "RS512", "pkcs1-512" },
        { "PS256", "pss-256" },
        { "rs256", "pkcs1-256" },
        { "RS256 ", "pkcs1-256" },
        { "ES256", "pkcs1-256" },
    };

    [Theory]
    [MemberData(nameof(OtherRsaAlgorithms))]
    public async Task Every_algorithm_but_RS256_is_refused_even_with_a_genuine_signature(string alg, string signing)
    {
        var (hash, padding) = signing switch
        {
            "pkcs1-384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "pkcs1-512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "pss-256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };

        var result = await Verify(Sign(Key.Rsa, Header(alg, "ins_key_1"), Claims(), hash, padding));

        AssertRefused(SessionTokenFailure.UnsupportedAlgorithm, result);
        Assert.Equal(0, _jwks.Fetches);
    }

    [Fact]
    public async Task A_key_embedded_in_the_header_is_never_used()
    {
        var attacker = Attacker;
        var header = Header("RS256", "attacker");
        header["jwk"] = attacker.Jwk();
        header["jku"] = "https://attacker.example/jwks";
        header["x5u"] = "https://attacker.example/cert";
        var headerWithRealKid = new Dictionary<string, object?>(header) { ["kid"] = "ins_key_1" };

        var unknown = await Verify(Sign(attacker.Rsa, header, Claims()));
        var mismatch = await Verify(Sign(attacker.Rsa, headerWithRealKid, Claims()));

        AssertRefused(SessionTokenFailure.UnknownKey, unknown);
        Assert.Equal("None of the instance's signing keys has the token's key id 'attacker'.", unknown.Message);
        AssertRefused(SessionTokenFailure.InvalidSignature, mismatch);
    }

    [Fact]
    public async Task A_token_without_a_kid_matches_no_key_of_a_key_set()
    {
        var result = await Verify(Sign(Key.Rsa, Header("RS256", kid: null), Claims()));

        AssertRefused(SessionTokenFailure.UnknownKey, result);
        Assert.Equal("The token names no signing key (kid).", result.Message);
        Assert.Null(result.KeyId);
    }

    [Fact]
    public async Task A_token_without_a_subject_is_refused_once_its_signature_holds()
    {
        var result = await Verify(Key.Sign(Claims().Without("sub")));
        var forged = await Verify(Impostor.Sign(Claims().Without("sub")));

        AssertRefused(SessionTokenFailure.MissingSubject, result);
        Assert.Equal("The token names no user (sub); Clerk session tokens always do.", result.Message);
        Assert.Null(result.UserId);
        Assert.Equal(SessionId, result.SessionId);
        AssertRefused(SessionTokenFailure.InvalidSignature, forged);
    }

    [Fact]
    public async Task The_subject_is_checked_before_the_lifetime_as_Clerks_SDK_does()
    {
        var result = await Verify(Key.Sign(Claims().Without("sub").With("exp", Now.AddHours(-1).ToUnixTimeSeconds())));

        AssertRefused(SessionTokenFailure.MissingSubject, result);
    }

    [Fact]
    public async Task An_empty_subject_is_a_subject_as_for_Clerks_SDK()
    {
        // @clerk/backend's assertSubClaim asks only for a string; its own test accepts ''.
        var result = await Verify(Key.Sign(Claims().With("sub", "")));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("", result.UserId);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"id\":\"user_1\"}")]
    public async Task A_subject_that_is_not_a_string_is_malformed(string json)
    {
        var claims = Claims().With("sub", System.Text.Json.JsonDocument.Parse(json).RootElement);

        AssertRefused(SessionTokenFailure.Malformed, await Verify(Key.Sign(claims)));
    }

    [Theory]
    [InlineData(SessionId, SessionTokenFailure.None)]
    [InlineData("sess_other", SessionTokenFailure.SessionMismatch)]
    [InlineData("SESS_2ABCSESSION", SessionTokenFailure.SessionMismatch)]
    public async Task The_session_must_match_when_one_is_asked_for(string expected, SessionTokenFailure failure)
    {
        var result = await Verify(Key.Sign(Claims()), Options(options => options.SessionId = expected));

        Assert.Equal(failure, result.FailureReason);
        if (failure != SessionTokenFailure.None)
        {
            Assert.Equal($"The token is for session '{SessionId}', not '{expected}'.", result.Message);
        }
    }

    [Fact]
    public async Task A_token_without_a_session_fails_a_session_check_only()
    {
        var token = Key.Sign(Claims().Without("sid"));

        var withoutCheck = await Verify(token);
        var withCheck = await Verify(token, Options(options => options.SessionId = SessionId));

        Assert.True(withoutCheck.IsValid, withoutCheck.Message);
        Assert.Equal("The token is valid.", withoutCheck.Message);
        AssertRefused(SessionTokenFailure.SessionMismatch, withCheck);
    }

    [Theory]
    [InlineData(new[] { Party }, true)]
    [InlineData(new[] { "https://other.example.com", Party }, true)]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "https://other.example.com" }, false)]
    [InlineData(new[] { "https://APP.example.com" }, false)]
    [InlineData(new[] { "https://app.example.com/" }, false)]
    public async Task The_authorized_party_must_be_one_of_those_given(string[] parties, bool valid)
    {
        var result = await Verify(Key.Sign(Claims()), Options(options => options.AuthorizedParties = parties));

        Assert.Equal(valid ? SessionTokenFailure.None : SessionTokenFailure.AuthorizedPartyMismatch, result.FailureReason);
    }

    [Fact]
    public async Task A_token_without_an_authorized_party_fails_only_when_parties_are_required()
    {
        var token = Key.Sign(Claims().Without("azp"));

        var open = await Verify(token);
        var required = await Verify(token, Options(options => options.AuthorizedParties = new[] { Party }));

        Assert.True(open.IsValid, open.Message);
        AssertRefused(SessionTokenFailure.AuthorizedPartyMismatch, required);
        Assert.Equal($"The token names no authorized party (azp); one of '{Party}' is required.", required.Message);
    }

    public static TheoryData<string?> Garbage()
    {
        var header = Part(Header("RS256", "ins_key_1"));
        var payload = Part(Claims());
        return new TheoryData<string?>
        {
            null,
            "",
            "   ",
            "\r\n",
            "a",
            "a.b",
            "a.b.c",
            "a.b.c.d",
            "a.b.c.d.e",
            "..",
            "...",
            "not a jwt",
            $"{header}.{payload}",
            $"{header}.{payload}.sig.extra",
            $"{header}.{payload}.!!!",
            $"{header}.{payload}.c2ln=",
            $"{header}=.{payload}.c2ln",
            $"{header}.{payload}+.c2ln",
            $"{header} .{payload}.c2ln",
            $"{Part("[]")}.{payload}.c2ln",
            $"{header}.{Part("[1,2,3]")}.c2ln",
            $"{header}.{Part("\"text\"")}.c2ln",
            $"{header}.{Part("null")}.c2ln",
            $"{header}.{Part("{")}.c2ln",
            $"{header}.{Part("{\"sub\":\"x\",}")}.c2ln",
            $"{header}.{Part("{\"exp\":1}garbage")}.c2ln",
            $"{header}.{Encode([0xFF, 0xFE, 0x7B, 0x7D])}.c2ln",
            $"{header}.{Encode([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])}.c2ln",
            $"{header}.{Part("{\"exp\":\"1999999999\"}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999.5}")}.c2ln",
            $"{header}.{Part("{\"exp\":1e400}")}.c2ln",
            $"{header}.{Part("{\"exp\":99999999999999999999999}")}.c2ln",
            $"{header}.{Part("{\"exp\":-99999999999}")}.c2ln",
            $"{header}.{Part("{\"exp\":null}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"n\":1e400}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"sid\":42}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"sub\":[\"user\"]}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"azp\":null}")}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"exp\":1}")}.c2ln",
            $"{Part("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"ins_key_1\"}")}.{payload}.c2ln",
            $"{Part("{\"kid\":\"ins_key_1\"}")}.{payload}.c2ln",
            $"{Part("{\"alg\":256,\"kid\":\"ins_key_1\"}")}.{payload}.c2ln",
            $"{Part("{\"alg\":\"RS256\",\"kid\":7}")}.{payload}.c2ln",
            $"{Part("{\"alg\":\"RS256\",\"kid\":\"ins_key_1\",\"typ\":\"at+jwt\"}")}.{payload}.c2ln",
            $"{Part("{\"alg\":\"RS256\",\"kid\":\"ins_key_1\",\"crit\":[\"b64\"],\"b64\":false}")}.{payload}.c2ln",
            $"{header}.{Part("{\"exp\":1999999999,\"deep\":" + new string('[', 100) + new string(']', 100) + "}")}.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.é.c2ln",
            "ｅｙＪ.ｅｙＪ.ｃ２ｌｎ",
            "\u0000.\u0000.\u0000",
            "Bearer " + header + "." + payload + ".c2ln",
            header + "." + new string('A', SessionTokenVerifier.MaxTokenLength) + ".c2ln",
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_is_malformed_never_an_exception(string? token)
    {
        var result = await Verify(token);

        AssertRefused(SessionTokenFailure.Malformed, result);
        Assert.Empty(result.Claims);
        Assert.Null(result.SessionId);
        Assert.Null(result.UserId);
        Assert.Null(result.KeyId);
        Assert.Null(result.ExpiresAt);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.Equal(0, _jwks.Fetches);
    }

    [Fact]
    public async Task Tokens_over_the_length_limit_are_refused_unread()
    {
        var padding = new string('x', SessionTokenVerifier.MaxTokenLength);
        var token = Key.Sign(Claims().With("pad", padding));

        var result = await Verify(token);

        AssertRefused(SessionTokenFailure.Malformed, result);
        Assert.Equal($"The token is longer than {SessionTokenVerifier.MaxTokenLength} characters.", result.Message);
    }

    [Fact]
    public async Task Surrounding_whitespace_is_ignored()
    {
        var result = await Verify("  " + Key.Sign(Claims()) + "\r\n");

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task Unicode_claims_survive()
    {
        var result = await Verify(Key.Sign(Claims().With("name", "Zoë 🦊 Ünïcødé")));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("Zoë 🦊 Ünïcødé", result.Claims["name"]);
    }

    [Fact]
    public async Task No_result_contains_the_token_or_its_signature()
    {
        var other = Impostor;
        var tokens = new[]
        {
            Key.Sign(Claims()),
            Key.Sign(Claims().With("exp", Now.AddHours(-1).ToUnixTimeSeconds())),
            other.Sign(Claims()),
            Sign(Key.Rsa, Header("RS384", "ins_key_1"), Claims(), HashAlgorithmName.SHA384),
        };

        foreach (var token in tokens)
        {
            var result = await Verify(token, Options(options => options.SessionId = "sess_other"));
            var shown = string.Join("\n", new[] { result.ToString(), result.Message, result.SessionId, result.UserId, result.KeyId, result.AuthorizedParty, result.Issuer }
                .Concat(result.Claims.Select(claim => claim.Key + "=" + claim.Value)));

            Assert.DoesNotContain(token, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Signature(token), shown, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[1], shown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Values_quoted_from_a_token_are_cut_short_and_stripped_of_control_characters()
    {
        var kid = "evil\u001b[31m\r\n" + new string('k', 500);

        var result = await Verify(Sign(Key.Rsa, Header("RS256", kid), Claims()));

        AssertRefused(SessionTokenFailure.UnknownKey, result);
        Assert.Equal(kid, result.KeyId);
        Assert.DoesNotContain("\u001b", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", result.Message, StringComparison.Ordinal);
        Assert.True(result.Message.Length < 200, result.Message);
    }

    [Fact]
    public async Task ToString_says_why_a_token_was_refused()
    {
        var valid = await Verify(Key.Sign(Claims()));
        var expired = await Verify(Key.Sign(Claims().With("exp", Now.AddMinutes(-1).ToUnixTimeSeconds())));

        Assert.Equal(valid.Message, valid.ToString());
        Assert.Equal("Invalid session token (Expired): " + expired.Message, expired.ToString());
    }

    [Fact]
    public async Task Bad_arguments_throw_but_a_bad_token_does_not()
    {
        var source = _jwks.Source();

        await Assert.ThrowsAsync<ArgumentNullException>(() => SessionTokenVerifier.VerifyAsync("x", null!, source));
        await Assert.ThrowsAsync<ArgumentNullException>(() => SessionTokenVerifier.VerifyAsync("x", Options(), null!));
        await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() => SessionTokenVerifier.VerifyAsync("x", Options(options => options.SessionId = " "), source));
        await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() => SessionTokenVerifier.VerifyAsync("x", Options(options => options.AuthorizedParties = new[] { Party, "" }), source));
    }

    [Fact]
    public async Task Cancellation_throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SessionTokenVerifier.VerifyAsync(Key.Sign(Claims()), Options(), _jwks.Source(), cancelled.Token));
    }

    [Fact]
    public async Task Key_source_failures_are_errors_not_invalid_tokens()
    {
        _jwks.Failure = new HttpRequestException("Clerk is unreachable");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Verify(Key.Sign(Claims())));

        Assert.Equal("Clerk is unreachable", error.Message);
    }
}
