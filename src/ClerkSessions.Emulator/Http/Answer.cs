using System.Text;

namespace ClerkSessions.Emulator.Http;

/// <summary>What the server does with a request: an HTTP response, possibly broken on purpose.</summary>
internal sealed class Answer
{
    public Answer(int status, byte[] body, string contentType = "application/json")
    {
        Status = status;
        Body = body;
        ContentType = contentType;
    }

    public int Status { get; }

    public byte[] Body { get; }

    public string ContentType { get; }

    public List<KeyValuePair<string, string>> Headers { get; } = new();

    /// <summary>Close the connection without answering.</summary>
    public bool Drop { get; private set; }

    /// <summary>Announce the whole body, send half of it and close.</summary>
    public bool Truncate { get; private set; }

    public static Answer Dropped() => new(0, Array.Empty<byte>()) { Drop = true };

    public static Answer Text(int status, string body, string contentType) => new(status, Encoding.UTF8.GetBytes(body), contentType);

    public Answer Truncated()
    {
        Truncate = true;
        return this;
    }

    public Answer WithHeader(string name, string value)
    {
        Headers.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }
}
