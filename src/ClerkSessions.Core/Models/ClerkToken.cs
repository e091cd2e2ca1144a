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

/// <summary>Cookie directives from a refresh with <c>format=cookie</c> (spec schema <c>Cookies</c>).</summary>
public sealed class ClerkSessionCookies
{
    [JsonPropertyName("object")] public string? Object { get; set; }

    /// <summary>The session the cookies were issued for (not part of Clerk's answer; set from the request).</summary>
    [JsonIgnore] public string? SessionId { get; set; }

    [JsonPropertyName("cookies")] public List<string> Cookies { get; set; } = new();

    public override string ToString() => $"ClerkSessionCookies ({Cookies.Count} cookies, redacted)";
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
