using System.Globalization;
using System.Security;

namespace ClerkSessions.Core.Models;

/// <summary>
/// A session token as the module hands it out: the JWT in a <see cref="SecureString"/>, with the facts a caller
/// needs without opening it (which session, which template, when it was issued and when it expires).
/// </summary>
public sealed class ClerkSessionToken
{
    internal ClerkSessionToken(string sessionId, string? templateName, SecureString token, string? userId, DateTimeOffset? issuedAt, DateTimeOffset? notBefore, DateTimeOffset? expiresAt)
    {
        SessionId = sessionId;
        TemplateName = templateName;
        Token = token;
        UserId = userId;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
        ExpiresAt = expiresAt;
    }

    public string SessionId { get; }

    /// <summary>The JWT template the token was made from; null for a plain session token.</summary>
    public string? TemplateName { get; }

    /// <summary>The JWT, e.g. for <c>Invoke-RestMethod -Authentication Bearer -Token</c>.</summary>
    public SecureString Token { get; }

    /// <summary>The token's subject (<c>sub</c>): for session tokens, the user id.</summary>
    public string? UserId { get; }

    public DateTimeOffset? IssuedAt { get; }
    public DateTimeOffset? NotBefore { get; }
    public DateTimeOffset? ExpiresAt { get; }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "ClerkSessionToken for {0} (redacted)", SessionId);
}
