using System.Diagnostics;
using System.Net.Http.Headers;

namespace ClerkSessions.Core.Http;

/// <summary>
/// Reports each attempt: one line at Verbose, headers and bodies at Debug. It sits inside the authentication
/// handler, so it sees the Authorization header and must redact it like everything else it writes.
/// </summary>
internal sealed class LoggingHandler : DelegatingHandler
{
    private const int MaxLoggedBodyCharacters = 4096;
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Set-Cookie" };
    private readonly IClerkLogSink _log;

    public LoggingHandler(IClerkLogSink log) => _log = log;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var debug = _log.IsEnabled(ClerkLogLevel.Debug);
        if (!debug && !_log.IsEnabled(ClerkLogLevel.Verbose))
        {
            // Nothing to write: no line built, nothing redacted on the way of every request.
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var call = ClerkRequest.Of(request);
        var secrets = call?.Secrets;
        var attempt = call?.Attempts ?? 1;
        var line = Redaction.Text($"{request.Method} {request.RequestUri?.PathAndQuery}{(attempt > 1 ? $" (attempt {attempt})" : "")}");
        if (debug)
        {
            _log.Write(ClerkLogLevel.Debug, $"Request {line}{Headers(request.Headers, request.Content?.Headers, secrets)}{await BodyAsync(request.Content, secrets).ConfigureAwait(false)}");
        }

        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _log.Verbose($"{line} failed after {clock.ElapsedMilliseconds} ms: {Redaction.Text(exception.Message, secrets)}");
            throw;
        }

        _log.Verbose($"{line} -> {(int)response.StatusCode} {response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms");
        if (debug)
        {
            _log.Write(ClerkLogLevel.Debug, $"Response {(int)response.StatusCode} to {line}{Headers(response.Headers, response.Content?.Headers, secrets)}{await BodyAsync(response.Content, secrets).ConfigureAwait(false)}");
        }

        return response;
    }

    private static string Headers(HttpHeaders headers, HttpHeaders? contentHeaders, IEnumerable<string>? secrets)
    {
        var all = contentHeaders is null ? headers : headers.Concat(contentHeaders);
        return string.Concat(all.Select(header =>
            $"{Environment.NewLine}  {header.Key}: {(SecretHeaders.Contains(header.Key) ? Redaction.Redacted : Redaction.Text(string.Join(", ", header.Value), secrets))}"));
    }

    private static async Task<string> BodyAsync(HttpContent? content, IEnumerable<string>? secrets)
    {
        if (content is null)
        {
            return "";
        }

        await content.LoadIntoBufferAsync().ConfigureAwait(false);
        var text = await content.ReadAsStringAsync().ConfigureAwait(false);
        if (text.Length == 0)
        {
            return "";
        }

        // Redact before cutting: a token cut in half no longer looks like a token.
        var redacted = Redaction.Text(text, secrets);
        var shown = redacted.Length > MaxLoggedBodyCharacters
            ? redacted.Substring(0, MaxLoggedBodyCharacters) + $"\u2026 ({text.Length} characters)"
            : redacted;
        return Environment.NewLine + "  " + shown;
    }
}
