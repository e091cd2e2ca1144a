namespace ClerkSessions.TestServer;

/// <summary>An answer queued by a test, served to the next request before any recording is consulted.</summary>
public sealed class ScriptedResponse
{
    public int Status { get; set; } = 200;
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Body { get; set; }
    public string ContentType { get; set; } = "application/json";

    /// <summary>Wait this long before answering; ends early if the client goes away.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Close the connection without answering.</summary>
    public bool DropConnection { get; set; }

    /// <summary>After <see cref="Delay"/>, answer from the recordings as usual.</summary>
    public bool PassThrough { get; set; }

    public static ScriptedResponse RateLimited(string retryAfter) => new()
    {
        Status = 429,
        Headers = { ["Retry-After"] = retryAfter },
        Body = ClerkError("too_many_requests", "Too many requests", "Too many requests, retry later"),
    };

    public static ScriptedResponse ServerError(int status) => new()
    {
        Status = status,
        Body = status == 503
            ? ClerkError("service_unavailable", "Service unavailable", "Service unavailable")
            : ClerkError("internal_clerk_error", "Oops, an unexpected error occurred", "There was an internal error on our servers. We've been notified and are working on fixing it."),
    };

    public static ScriptedResponse HtmlPage(int status) => new()
    {
        Status = status,
        ContentType = "text/html",
        Body = $"<!DOCTYPE html><html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>",
    };

    public static ScriptedResponse MalformedJson(int status = 200) => new() { Status = status, Body = """{"object":"session","id":""" };

    public static ScriptedResponse Drop() => new() { DropConnection = true };

    public static ScriptedResponse Slow(TimeSpan delay) => new() { Delay = delay, PassThrough = true };

    internal static string ClerkError(string code, string message, string longMessage) =>
        $$"""{"errors":[{"code":"{{code}}","message":"{{message}}","long_message":"{{longMessage}}"}],"clerk_trace_id":"test_server"}""";
}
