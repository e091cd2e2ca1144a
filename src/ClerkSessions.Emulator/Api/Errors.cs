using System.Security.Cryptography;
using ClerkSessions.Emulator.Http;

namespace ClerkSessions.Emulator.Api;

/// <summary>Clerk's error answers: a <c>ClerkErrors</c> envelope with a fresh trace id, codes and messages from Clerk's error catalogue (../shared/clerk/api-errors-catalog.json).</summary>
internal static class Errors
{
    public static Answer SessionNotFound(string sessionId) =>
        Error(404, "resource_not_found", "Session not found", $"No session was found with id {sessionId}");

    public static Answer UserNotFound(string userId) => Error(404, "resource_not_found", "not found", $"No user was found with id {userId}");

    public static Answer UrlNotFound() => Error(404, "resource_not_found", "not found", "Resource not found");

    public static Answer InvalidAuthentication() =>
        Error(401, "authentication_invalid", "Invalid authentication", "Unable to authenticate the request, you need to supply an active session");

    public static Answer InvalidAuthorizationHeader() =>
        Error(401, "authorization_header_format_invalid", "Invalid Authorization header format", "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'");

    public static Answer InvalidApiVersion(string reason) => Error(400, "api_version_invalid", "invalid API version", "Invalid Clerk API version: " + reason);

    public static Answer InvalidParameter(string parameter, string longMessage) =>
        Error(422, "form_param_value_invalid", "is invalid", longMessage, parameter);

    public static Answer MissingParameter(string parameter) => Error(422, "form_param_missing", "is missing", $"{parameter} must be included.", parameter);

    public static Answer AtLeastOneOf(string parameters) =>
        Error(422, "form_param_missing", "at least one parameter must be provided", $"at least one of `{parameters}` must be provided");

    public static Answer Deprecated() => Error(410, "operation_deprecated", "endpoint is deprecated and pending removal", "endpoint is deprecated and pending removal");

    /// <summary>Clerk's 429, with <paramref name="retryAfter"/> as the Retry-After header when there is one.</summary>
    public static Answer TooManyRequests(string? retryAfter)
    {
        var answer = Error(429, "too_many_requests", "Too many requests", "Too many requests, retry later");
        return retryAfter is null ? answer : answer.WithHeader("Retry-After", retryAfter);
    }

    public static Answer RefreshRefused(string code, string message, string longMessage) => Error(401, code, message, longMessage);

    /// <summary>The spec says creating sessions is for development instances; which error Clerk answers on production is not documented, so this one is assumed.</summary>
    public static Answer ProductionOnly() =>
        Error(403, "authorization_invalid", "Unauthorized request", "Creating sessions is available on development instances only");

    /// <summary>The Clerk answer for <paramref name="status"/> when a fault asks for one.</summary>
    public static Answer ForStatus(int status) => status switch
    {
        400 => Error(400, "bad_request", "Bad request", "Bad request"),
        401 => InvalidAuthentication(),
        403 => Error(403, "authorization_invalid", "Unauthorized request", "You are not authorized to perform this request"),
        404 => UrlNotFound(),
        410 => Deprecated(),
        422 => Error(422, "form_param_value_invalid", "is invalid", "The request is invalid"),
        429 => TooManyRequests(null),
        503 => Error(503, "service_unavailable", "Service unavailable", "Service unavailable"),
        504 => Error(504, "gateway_timeout", "Gateway Timeout", "A request to a 3rd party service timed out"),
        _ => Error(status, "internal_clerk_error", "Oops, an unexpected error occurred", "There was an internal error on our servers. We've been notified and are working on fixing it."),
    };

    public static string NewTraceId()
    {
        var bytes = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
    }

    public static Answer TemplateNotFound(string name) =>
        Error(404, "resource_not_found", "JWT template not found", $"No JWT template exists with name: {name}");

    public static Answer Error(int status, string code, string message, string longMessage, string? parameter = null) =>
        new(status, Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteString("long_message", longMessage);
            if (parameter is not null)
            {
                writer.WriteStartObject("meta");
                writer.WriteString("param_name", parameter);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("clerk_trace_id", NewTraceId());
            writer.WriteEndObject();
        }));
}
