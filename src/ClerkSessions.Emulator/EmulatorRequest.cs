namespace ClerkSessions.Emulator;

/// <summary>
/// A request the emulator received, and how it answered. The Authorization header is never kept, and with
/// <see cref="ClerkEmulatorOptions.RequestLogFilter"/> (as Start-ClerkEmulator sets it) neither is a token in the body.
/// </summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(long sequence, DateTimeOffset receivedAt, string method, string path, string query, string? operation, string? apiVersion, string body)
    {
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Method = method;
        Path = path;
        Query = query;
        Operation = operation;
        ApiVersion = apiVersion;
        Body = body;
    }

    /// <summary>1 for the first request since the emulator started or was reset.</summary>
    public long Sequence { get; }

    public DateTimeOffset ReceivedAt { get; }

    public string Method { get; }

    /// <summary>As sent, percent-encoding included.</summary>
    public string Path { get; }

    public string Query { get; }

    /// <summary>The spec's operationId the request addressed, e.g. RevokeSession; null for an unknown path.</summary>
    public string? Operation { get; }

    /// <summary>The Clerk-API-Version header (or __clerk_api_version query parameter) sent, if any.</summary>
    public string? ApiVersion { get; }

    public string Body { get; }

    /// <summary>Whether the secret key was the instance's.</summary>
    public bool KeyAccepted { get; internal set; }

    /// <summary>The status answered; 0 while the request is still being answered, or when its connection was dropped (see <see cref="Fault"/>).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The fault that answered it, if any.</summary>
    public EmulatorFaultKind? Fault { get; internal set; }

    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : string.Empty)} -> {StatusCode}";
}
