using System.Text;
using System.Text.Json;
using ClerkSessions.Core.Json;

namespace ClerkSessions.Core.Tokens;

/// <summary>A JWT taken apart and type-checked, nothing verified yet. Holds the signature, so it never leaves the verifier.</summary>
internal sealed class ParsedSessionToken
{
    private ParsedSessionToken(JsonElement header, JsonElement payload, byte[] signedData, byte[] signature, IReadOnlyDictionary<string, object?> claims)
    {
        Algorithm = header.GetProperty("alg").GetString()!;
        KeyId = Text(header, "kid");
        SessionId = Text(payload, "sid");
        UserId = Text(payload, "sub");
        AuthorizedParty = Text(payload, "azp");
        Issuer = Text(payload, "iss");
        ExpiresAt = JwtPayload.Time(payload, "exp");
        NotBefore = JwtPayload.Time(payload, "nbf");
        IssuedAt = JwtPayload.Time(payload, "iat");
        SignedData = signedData;
        Signature = signature;
        Claims = claims;
    }

    public string Algorithm { get; }
    public string? KeyId { get; }
    public string? SessionId { get; }
    public string? UserId { get; }
    public string? AuthorizedParty { get; }
    public string? Issuer { get; }
    public DateTimeOffset? ExpiresAt { get; }
    public DateTimeOffset? NotBefore { get; }
    public DateTimeOffset? IssuedAt { get; }
    public IReadOnlyDictionary<string, object?> Claims { get; }

    /// <summary>The ASCII of <c>header.payload</c>: what the signature covers.</summary>
    public byte[] SignedData { get; }

    public byte[] Signature { get; }

    /// <summary>The token's parts, or null with a sentence saying what is wrong (never quoting the token).</summary>
    public static ParsedSessionToken? TryParse(string? token, out string problem)
    {
        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            problem = "The token is empty.";
            return null;
        }

        if (token!.Length > SessionTokenVerifier.MaxTokenLength)
        {
            problem = $"The token is longer than {SessionTokenVerifier.MaxTokenLength} characters.";
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            problem = "The token is not a signed JWT: it must be three base64url parts separated by dots.";
            return null;
        }

        if (JwtPayload.TryReadObject(parts[0]) is not JsonElement header || JwtPayload.TryReadObject(parts[1]) is not JsonElement payload)
        {
            problem = "The token's header and payload must each be a base64url-encoded JSON object.";
            return null;
        }

        if (!Base64Url.TryDecode(parts[2], out var signature))
        {
            problem = "The token's signature is not base64url.";
            return null;
        }

        problem = CheckHeader(header) ?? CheckPayload(payload) ?? "";
        if (problem.Length > 0)
        {
            return null;
        }

        if (HasUnreadableNumber(payload))
        {
            problem = "The token's payload holds a number too large to read.";
            return null;
        }

        var claims = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var claim in JsonValues.ToDictionary(payload)!)
        {
            claims.Add(claim.Key, claim.Value);
        }

        return new ParsedSessionToken(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, claims);
    }

    private static string? CheckHeader(JsonElement header)
    {
        if (HasDuplicateMembers(header))
        {
            return "The token's header names a member more than once.";
        }

        if (!header.TryGetProperty("alg", out var algorithm) || algorithm.ValueKind != JsonValueKind.String)
        {
            return "The token's header names no algorithm (alg).";
        }

        if (header.TryGetProperty("typ", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "JWT"))
        {
            return "The token's type (typ) is not JWT.";
        }

        // RFC 7515 §4.1.11: extensions marked critical must be understood, and this verifier understands none.
        return header.TryGetProperty("crit", out _) ? "The token's header has critical extensions (crit), which are not supported."
            : WrongType(header, "kid", "header");
    }

    private static string? CheckPayload(JsonElement payload)
    {
        if (HasDuplicateMembers(payload))
        {
            return "The token's payload names a claim more than once.";
        }

        foreach (var claim in new[] { "sid", "sub", "azp", "iss" })
        {
            if (WrongType(payload, claim, "payload") is string problem)
            {
                return problem;
            }
        }

        foreach (var claim in new[] { "exp", "nbf", "iat" })
        {
            if (!JwtPayload.TryTime(payload, claim, out _))
            {
                return $"The token's '{claim}' claim is not a time in whole seconds since 1970.";
            }
        }

        return payload.TryGetProperty("exp", out _) ? null : "The token has no expiry (exp); Clerk session tokens always have one.";
    }

    private static string? WrongType(JsonElement element, string name, string part) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String ? $"The token's {part} has a '{name}' that is not a string." : null;

    private static bool HasDuplicateMembers(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return element.EnumerateObject().Any(member => !names.Add(member.Name));
    }

    /// <summary>True for a number beyond <see cref="double"/> anywhere inside, which no plain value could show.</summary>
    private static bool HasUnreadableNumber(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => !element.TryGetInt64(out _) && !(element.TryGetDouble(out var number) && !double.IsInfinity(number) && !double.IsNaN(number)),
        JsonValueKind.Object => element.EnumerateObject().Any(member => HasUnreadableNumber(member.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasUnreadableNumber),
        _ => false,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
