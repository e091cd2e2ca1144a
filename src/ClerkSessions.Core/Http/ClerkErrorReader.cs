using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core.Http;

/// <summary>Turns a failed answer into a <see cref="ClerkApiException"/> whose message is Clerk's own.</summary>
internal static class ClerkErrorReader
{
    private static readonly Regex HtmlTitle = new("<title[^>]*>(?<title>[^<]{1,200})</title>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static ClerkApiException FromResponse(ClerkRequest call, HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;

        // An answer may echo what was sent (a proxy's page, an error naming the value): nothing read from it keeps a secret.
        var text = Redaction.Text(Encoding.UTF8.GetString(body), call.Secrets);
        var errorBody = TryReadErrorBody(text);
        var errors = (IReadOnlyList<ClerkError>?)errorBody?.Errors ?? Array.Empty<ClerkError>();
        var traceId = errorBody?.ClerkTraceId ?? TraceIdFromHeaders(response);
        var retryAfter = RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow);

        var message = errors.Count > 0 ? ClerksOwnMessage(errors) : DescribeUnexpectedBody(response, body.Length, text);
        if (status == 410 && call.Operation == ClerkOperation.VerifySession)
        {
            message = ClerkSessionsClient.VerifyEndpointRetired + " Clerk said: " + message;
        }
        else if (status == 429)
        {
            message += retryAfter is TimeSpan wait ? $" (rate limited; Clerk asks to retry after {RetryPolicy.Seconds(wait)})" : " (rate limited)";
        }

        return new ClerkApiException(message, call.Operation, call.SessionId, status, errors, traceId, retryAfter, attempts: call.Attempts);
    }

    /// <summary>A success status whose body is not what the spec promises.</summary>
    public static ClerkApiException Unreadable(ClerkRequest call, HttpResponseMessage response, byte[] body, string expected, Exception? reason)
    {
        var detail = reason is null ? "" : ": " + Redaction.Text(reason.Message, call.Secrets);
        var message = body.Length == 0
            ? $"Clerk answered HTTP {(int)response.StatusCode} with an empty body where {expected} was expected."
            : $"Clerk's answer (HTTP {(int)response.StatusCode}) could not be read as {expected}{detail}";
        return new ClerkApiException(
            message, call.Operation, call.SessionId, (int)response.StatusCode, Array.Empty<ClerkError>(),
            TraceIdFromHeaders(response), retryAfter: null, reason, call.Attempts);
    }

    private static string ClerksOwnMessage(IReadOnlyList<ClerkError> errors) => string.Join(
        " ",
        errors.Select(error => FirstText(error.LongMessage, error.Message, error.Code) ?? "Clerk reported an error without a message.")
            .Distinct(StringComparer.Ordinal));

    private static string DescribeUnexpectedBody(HttpResponseMessage response, int length, string text)
    {
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        if (length == 0)
        {
            return $"Clerk answered {status} with an empty body.";
        }

        var mediaType = response.Content?.Headers.ContentType?.MediaType ?? "untyped";
        var title = HtmlTitle.Match(text);
        var hint = title.Success ? $": \"{System.Net.WebUtility.HtmlDecode(title.Groups["title"].Value.Trim())}\"" : "";
        return $"Clerk answered {status} with a {mediaType} body instead of Clerk's JSON error ({length} bytes){hint}. " +
               "This usually comes from a proxy or an outage in front of the API; try again later.";
    }

    private static ClerkErrorBody? TryReadErrorBody(string body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, ClerkJsonContext.Default.ClerkErrorBody);
            return parsed?.Errors is { Count: > 0 } ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstText(params string?[] candidates) => candidates.FirstOrDefault(text => !string.IsNullOrWhiteSpace(text));

    private static string? TraceIdFromHeaders(HttpResponseMessage response) =>
        Header(response, "Clerk-Trace-Id") ?? Header(response, "cf-ray");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
