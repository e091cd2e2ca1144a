namespace ClerkSessions.Emulator.Api;

/// <summary>Which of the spec's operations a request addresses, with the path's ids unescaped.</summary>
internal sealed class Route
{
    private Route(string operation, string? sessionId = null, string? template = null)
    {
        Operation = operation;
        SessionId = sessionId;
        Template = template;
    }

    /// <summary>Every operation the emulator serves, by the spec's operationId.</summary>
    public static IReadOnlyList<string> Operations { get; } = new[]
    {
        "GetSessionList", "createSession", "GetSession", "RefreshSession", "RevokeSession", "CreateSessionToken", "CreateSessionTokenFromTemplate", "VerifySession", "GetJWKS",
    };

    public string Operation { get; }

    public string? SessionId { get; }

    public string? Template { get; }

    /// <summary>The route for <paramref name="method"/> and the raw <paramref name="path"/>, or null when the API has none.</summary>
    public static Route? Find(string method, string path)
    {
        const string Root = "/v1/";
        if (!path.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var segments = path.Substring(Root.Length).Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (method == "GET" && segments.Length == 1 && segments[0] == "jwks")
        {
            return new Route("GetJWKS");
        }

        if (segments[0] != "sessions" || segments.Skip(1).Any(segment => segment.Length == 0))
        {
            return null;
        }

        return (method, segments.Length) switch
        {
            ("GET", 1) => new Route("GetSessionList"),
            ("POST", 1) => new Route("createSession"),
            ("GET", 2) => new Route("GetSession", segments[1]),
            ("POST", 3) when segments[2] == "refresh" => new Route("RefreshSession", segments[1]),
            ("POST", 3) when segments[2] == "revoke" => new Route("RevokeSession", segments[1]),
            ("POST", 3) when segments[2] == "tokens" => new Route("CreateSessionToken", segments[1]),
            ("POST", 3) when segments[2] == "verify" => new Route("VerifySession", segments[1]),
            ("POST", 4) when segments[2] == "tokens" => new Route("CreateSessionTokenFromTemplate", segments[1], segments[3]),
            _ => null,
        };
    }
}
