using System.Text.Json;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core.Tokens;

/// <summary>Makes the <see cref="ClerkSessionToken"/> the module hands out from a JWT Clerk has just issued.</summary>
public static class ClerkSessionTokenReader
{
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

        var secure = SecureText.From(jwt);
        if (JwtPayload.TryRead(jwt) is not JsonElement payload)
        {
            return new ClerkSessionToken(sessionId, templateName, secure, userId: null, issuedAt: null, notBefore: null, expiresAt: null);
        }

        var userId = payload.TryGetProperty("sub", out var subject) && subject.ValueKind == JsonValueKind.String ? subject.GetString() : null;
        return new ClerkSessionToken(sessionId, templateName, secure, userId,
            JwtPayload.Time(payload, "iat"), JwtPayload.Time(payload, "nbf"), JwtPayload.Time(payload, "exp"));
    }
}
