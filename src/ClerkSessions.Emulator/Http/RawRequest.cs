namespace ClerkSessions.Emulator.Http;

/// <summary>One HTTP request as read from the socket: the raw path (percent-encoding kept), the query, headers, body.</summary>
internal sealed class RawRequest
{
    public RawRequest(string method, string path, string query, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Path = path;
        Query = query;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The query string without its leading '?', empty when there is none.</summary>
    public string Query { get; }

    /// <summary>Case-insensitive; a repeated header's values joined by ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
