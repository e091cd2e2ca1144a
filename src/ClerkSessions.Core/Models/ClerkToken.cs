using System.Security;
using System.Text.Json.Serialization;

namespace ClerkSessions.Core.Models;

/// <summary>A session JWT as Clerk returns it (spec schema <c>Token</c>).</summary>
public sealed class ClerkToken
{
    [JsonPropertyName("object")] public string? Object { get; set; }
    [JsonPropertyName("jwt")] public string Jwt { get; set; } = "";

    /// <summary>Never the token itself: objects end up in logs and transcripts.</summary>
    public override string ToString() => "ClerkToken (redacted)";
}

/// <summary>
/// The cookies a refresh with <c>format=cookie</c> answers (spec schema <c>Cookies</c>). The <c>__session</c> cookie
/// carries the new session token, so every directive is kept in a <see cref="SecureString"/>, like
/// <see cref="ClerkSessionToken.Token"/>; <see cref="Names"/> tells them apart without revealing them.
/// </summary>
public sealed class ClerkSessionCookies
{
    private ClerkSessionCookies(string? sessionId, IReadOnlyList<string> names, IReadOnlyList<SecureString> cookies)
    {
        SessionId = sessionId;
        Names = names;
        Cookies = cookies;
    }

    /// <summary>The session the cookies were issued for (not part of Clerk's answer; set from the request).</summary>
    public string? SessionId { get; }

    /// <summary>Each directive's cookie name (e.g. <c>__session</c>), in the order of <see cref="Cookies"/>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The Set-Cookie directives as Clerk wrote them (e.g. <c>__session=…; Path=/; Secure</c>).</summary>
    public IReadOnlyList<SecureString> Cookies { get; }

    public static ClerkSessionCookies FromDirectives(string? sessionId, IEnumerable<string> directives)
    {
        var all = (directives ?? throw new ArgumentNullException(nameof(directives))).ToList();
        return new ClerkSessionCookies(sessionId, all.Select(NameOf).ToList(), all.Select(SecureText.From).ToList());
    }

    public override string ToString() => $"ClerkSessionCookies ({string.Join(", ", Names)}; values redacted)";

    // A directive without '=' is not a cookie; its text is not shown, since it could be anything.
    private static string NameOf(string directive)
    {
        var equals = directive.IndexOf('=');
        return equals < 0 ? "" : directive.Substring(0, equals).Trim();
    }
}

/// <summary>Clerk's answer to a refresh with <c>format=cookie</c>, as read.</summary>
internal sealed class ClerkCookiesBody
{
    [JsonPropertyName("object")] public string? Object { get; set; }
    [JsonPropertyName("cookies")] public List<string> Cookies { get; set; } = new();
}

/// <summary>The answer to a refresh: a token, or cookies when <c>format=cookie</c> was asked for.</summary>
public sealed class SessionRefreshResult
{
    public SessionRefreshResult(ClerkToken token) => Token = token;
    public SessionRefreshResult(ClerkSessionCookies cookies) => Cookies = cookies;

    public ClerkToken? Token { get; }
    public ClerkSessionCookies? Cookies { get; }
}

/// <summary>The format of a refresh answer (<c>format</c> in the request body).</summary>
public enum SessionRefreshFormat
{
    Token,
    Cookie,
}

/// <summary>The body of <c>POST /sessions/{session_id}/refresh</c>.</summary>
public sealed class SessionRefreshRequest
{
    public SessionRefreshRequest(string expiredToken, string refreshToken, string requestOrigin)
    {
        ExpiredToken = expiredToken;
        RefreshToken = refreshToken;
        RequestOrigin = requestOrigin;
    }

    public string ExpiredToken { get; }
    public string RefreshToken { get; }
    public string RequestOrigin { get; }
    public IDictionary<string, string[]>? RequestHeaders { get; set; }
    public SessionRefreshFormat? Format { get; set; }
    public string? RequestOriginatingIp { get; set; }

    public override string ToString() => $"SessionRefreshRequest (origin {RequestOrigin}, tokens redacted)";
}
