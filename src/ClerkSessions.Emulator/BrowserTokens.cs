using System.Security;

namespace ClerkSessions.Emulator;

/// <summary>
/// What a browser signed in to a session holds once its session token expired: the expired token (<c>__session</c>)
/// and the refresh token (<c>__refresh</c>), for trying <c>POST /sessions/{id}/refresh</c> (Update-ClerkSession).
/// </summary>
public sealed class BrowserTokens
{
    internal BrowserTokens(string sessionId, string expiredToken, string refreshToken, string requestOrigin)
    {
        SessionId = sessionId;
        ExpiredToken = Secrets.ToSecureString(expiredToken);
        RefreshToken = Secrets.ToSecureString(refreshToken);
        RequestOrigin = requestOrigin;
    }

    public string SessionId { get; }

    public SecureString ExpiredToken { get; }

    public SecureString RefreshToken { get; }

    public string RequestOrigin { get; }

    public override string ToString() => $"Browser tokens for {SessionId} on {RequestOrigin}";
}
