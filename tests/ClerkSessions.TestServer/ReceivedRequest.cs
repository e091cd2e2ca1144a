namespace ClerkSessions.TestServer;

/// <summary>A request exactly as the server received it.</summary>
public sealed class ReceivedRequest
{
    public ReceivedRequest(string method, string path, string rawQuery, IReadOnlyDictionary<string, string> headers, string? body)
    {
        Method = method;
        Path = path;
        RawQuery = rawQuery;
        Headers = headers;
        Body = body;
        QueryParameters = ParseQuery(rawQuery);
        ReceivedAt = DateTimeOffset.UtcNow;
    }

    public string Method { get; }

    /// <summary>The path as sent, percent-encoding preserved.</summary>
    public string Path { get; }

    /// <summary>Without the leading '?'; empty when there is none.</summary>
    public string RawQuery { get; }

    /// <summary>Decoded, in order, duplicates kept.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryParameters { get; }

    /// <summary>Case-insensitive; repeated headers joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Null when the request had no body.</summary>
    public string? Body { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The recording that answered, "script", or null when nothing matched (501).</summary>
    public string? MatchedRecording { get; internal set; }

    private static List<KeyValuePair<string, string>> ParseQuery(string rawQuery) =>
        rawQuery.Length == 0
            ? new List<KeyValuePair<string, string>>()
            : rawQuery.Split('&').Select(part =>
            {
                var equals = part.IndexOf('=');
                var name = equals < 0 ? part : part[..equals];
                var value = equals < 0 ? "" : part[(equals + 1)..];
                return new KeyValuePair<string, string>(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
            }).ToList();

    public override string ToString() => $"{Method} {Path}{(RawQuery.Length > 0 ? "?" + RawQuery : "")}";
}
