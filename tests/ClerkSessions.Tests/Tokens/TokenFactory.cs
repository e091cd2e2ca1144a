using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Tests.Tokens;

/// <summary>An RSA key pair made for one test, with the JWK Clerk would publish for it and a way to sign tokens.</summary>
internal sealed class TestSigningKey : IDisposable
{
    public TestSigningKey(string keyId, int bits = 2048)
    {
        KeyId = keyId;
        Rsa = RSA.Create(bits);
    }

    public string KeyId { get; }
    public RSA Rsa { get; }

    public JsonWebKey Jwk(string? alg = "RS256", string? use = "sig")
    {
        var parameters = Rsa.ExportParameters(includePrivateParameters: false);
        return new JsonWebKey { Kid = KeyId, Kty = "RSA", Alg = alg, Use = use, N = TokenFactory.Encode(parameters.Modulus!), E = TokenFactory.Encode(parameters.Exponent!) };
    }

    /// <summary>An RS256 token with Clerk's header (<c>alg</c>, <c>kid</c>, <c>typ</c>).</summary>
    public string Sign(object payload) => TokenFactory.Sign(Rsa, TokenFactory.Header("RS256", KeyId), payload);

    public void Dispose() => Rsa.Dispose();
}

/// <summary>Builds JWTs, good and bad, from JSON; payloads are dictionaries so tests can change single claims.</summary>
internal static class TokenFactory
{
    /// <summary>The time every token test runs at, unless it moves a clock.</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);

    public const string SessionId = "sess_2abcSession";
    public const string UserId = "user_2xyzUser";
    public const string Party = "https://app.example.com";
    public const string Issuer = "https://clerk.example.com";

    public static string Encode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>A JSON part: a string is taken as JSON text as it is, anything else is serialized.</summary>
    public static string Part(object json) => Encode(json is string text ? Encoding.UTF8.GetBytes(text) : JsonSerializer.SerializeToUtf8Bytes(json));

    public static Dictionary<string, object?> Header(string alg, string? kid)
    {
        var header = new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>A session token's claims as Clerk issues them (v2), valid for an hour around <see cref="Now"/>.</summary>
    public static Dictionary<string, object?> Claims(DateTimeOffset? now = null)
    {
        var at = (now ?? Now).ToUnixTimeSeconds();
        return new Dictionary<string, object?>
        {
            ["azp"] = Party,
            ["exp"] = at + 3600,
            ["fva"] = new[] { 5, -1 },
            ["iat"] = at - 10,
            ["iss"] = Issuer,
            ["nbf"] = at - 20,
            ["o"] = new Dictionary<string, object?> { ["id"] = "org_1", ["rol"] = "admin", ["slg"] = null },
            ["sid"] = SessionId,
            ["sts"] = "active",
            ["sub"] = UserId,
            ["v"] = 2,
        };
    }

    public static Dictionary<string, object?> With(this Dictionary<string, object?> claims, string name, object? value)
    {
        claims[name] = value;
        return claims;
    }

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> claims, string name)
    {
        claims.Remove(name);
        return claims;
    }

    public static string Sign(RSA rsa, object header, object payload, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null)
    {
        var signingInput = Part(header) + "." + Part(payload);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash ?? HashAlgorithmName.SHA256, padding ?? RSASignaturePadding.Pkcs1);
        return signingInput + "." + Encode(signature);
    }

    /// <summary>The algorithm-confusion attack: an HMAC whose secret is the verifier's public key.</summary>
    public static string SignHs256(byte[] secret, object header, object payload)
    {
        var signingInput = Part(header) + "." + Part(payload);
        return signingInput + "." + Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string Unsigned(object header, object payload) => Part(header) + "." + Part(payload) + ".";

    public static JsonWebKeySet Set(params JsonWebKey[] keys) => new() { Keys = keys.ToList() };

    /// <summary>The JSON of <c>GET /jwks</c>, leaving out members a key does not have.</summary>
    public static string SetJson(params JsonWebKey[] keys) => JsonSerializer.Serialize(
        new { keys },
        new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

    public static SessionTokenVerificationOptions Options(Action<SessionTokenVerificationOptions>? configure = null)
    {
        var options = new SessionTokenVerificationOptions { Now = () => Now };
        configure?.Invoke(options);
        return options;
    }

    public static string Signature(string token) => token.Substring(token.LastIndexOf('.') + 1);
}

/// <summary>A JWKS endpoint as a delegate: counts fetches, answers with whatever set it holds now.</summary>
internal sealed class JwksStub
{
    private int _fetches;

    public JwksStub(params JsonWebKey[] keys) => Set = TokenFactory.Set(keys);

    public JsonWebKeySet Set { get; set; }
    public Exception? Failure { get; set; }
    public TimeSpan Delay { get; set; }
    public int Fetches => Volatile.Read(ref _fetches);

    public async Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        await Task.Delay(Delay, cancellationToken);
        return Failure is null ? Set : throw Failure;
    }

    public JwksKeySource Source(FakeClock? clock = null) => new(FetchAsync, clock: clock is null ? () => TokenFactory.Now : () => clock.Now);
}

internal sealed class FakeClock
{
    public DateTimeOffset Now { get; private set; } = TokenFactory.Now;

    public void Advance(TimeSpan by) => Now += by;
}
