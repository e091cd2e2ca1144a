namespace ClerkSessions.TestServer;

/// <summary>
/// An answer queued by a test, served to the next request before any recording is consulted: a body of the test's
/// own (a particular key set, a page with particular contents, an error Clerk could send but no recording has).
/// Faults (429, 5xx, HTML pages, drops, slow answers, malformed JSON) come from the emulator's <c>AddFault</c>.
/// </summary>
public sealed class ScriptedResponse
{
    public int Status { get; set; } = 200;
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Body { get; set; }
    public string ContentType { get; set; } = "application/json";
}
