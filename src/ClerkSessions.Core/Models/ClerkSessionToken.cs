using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Core.Models;

/// <summary>
/// A session token as the module hands it out: the JWT in a <see cref="SecureString"/>, with the facts a caller
/// needs without opening it (which session, which template, when it was issued and when it expires).
/// </summary>
public sealed class ClerkSessionToken
{
    private ClerkSessionToken(string sessionId, string? templateName, SecureString token)
    {
        SessionId = sessionId;
        TemplateName = templateName;
        Token = token;
    }

    public string SessionId { get; }

    /// <summary>The JWT template the token was made from; null for a plain session token.</summary>
    public string? TemplateName { get; }

    /// <summary>The JWT, e.g. for <c>Invoke-RestMethod -Authentication Bearer -Token</c>.</summary>
    public SecureString Token { get; }

    /// <summary>The token's subject (<c>sub</c>): for session tokens, the user id.</summary>
    public string? UserId { get; private set; }

    public DateTimeOffset? IssuedAt { get; private set; }
    public DateTimeOffset? NotBefore { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>
    /// Reads <c>sub</c>, <c>iat</c>, <c>nbf</c> and <c>exp</c> from the JWT's payload without verifying it (Clerk
    /// has just issued it over TLS). A payload that cannot be read leaves them null; it never fails.
    /// </summary>
    public static ClerkSessionToken FromJwt(string sessionId, string? templateName, string jwt)
    {
        if (jwt is null)
        {
            throw new ArgumentNullException(nameof(jwt));
        }

        var token = new ClerkSessionToken(sessionId, templateName, SecureText.From(jwt));
        if (JwtPayload.TryRead(jwt) is JsonElement payload)
        {
            token.UserId = payload.TryGetProperty("sub", out var subject) && subject.ValueKind == JsonValueKind.String ? subject.GetString() : null;
            token.IssuedAt = JwtPayload.Time(payload, "iat");
            token.NotBefore = JwtPayload.Time(payload, "nbf");
            token.ExpiresAt = JwtPayload.Time(payload, "exp");
        }

        return token;
    }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "ClerkSessionToken for {0} (redacted)", SessionId);
}

/// <summary>Reads a JWT's payload without checking it: for display only, never for trust decisions.</summary>
internal static class JwtPayload
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static JsonElement? TryRead(string jwt)
    {
        var parts = jwt.Split('.');
        return parts.Length == 3 ? TryReadObject(parts[1]) : null;
    }

    /// <summary>A JWT part (header or payload): strict base64url of a JSON object; null when it is anything else.</summary>
    public static JsonElement? TryReadObject(string part)
    {
        if (!Base64Url.TryDecode(part, out var json))
        {
            return null;
        }

        try
        {
            // Decoded strictly first: JsonDocument leaves some invalid UTF-8 to be found when a name is read.
            using var document = JsonDocument.Parse(StrictUtf8.GetString(json));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A NumericDate claim (seconds since the epoch) as a time; null when absent or not a number in range.</summary>
    public static DateTimeOffset? Time(JsonElement payload, string claim) => TryTime(payload, claim, out var time) ? time : null;

    /// <summary>
    /// False when the claim is present but not a whole number of seconds that <see cref="DateTimeOffset"/> can hold;
    /// otherwise true, with null for an absent claim.
    /// </summary>
    public static bool TryTime(JsonElement payload, string claim, out DateTimeOffset? time)
    {
        time = null;
        if (!payload.TryGetProperty(claim, out var value))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds <= long.MaxValue / 1000 && seconds >= long.MinValue / 1000)
        {
            time = UnixTime.FromMilliseconds(seconds * 1000);
        }

        return time is not null;
    }
}
