using System.Globalization;
using System.Management.Automation;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>How failures become PowerShell errors: a stable ErrorId, a category from the HTTP status, Clerk's own words.</summary>
public static class CommandErrors
{
    // The cmdlet's way out when the retired verify endpoint answers 410 (Clerk's own account of it is the exception's
    // message): what to drop goes with the error's details, what to use instead is the recommended action.
    private const string RetiredVerifyDrop = "Drop -UseVerifyEndpoint.";
    private const string RetiredVerifyInstead = "Test-ClerkSessionToken verifies the token locally against the instance's signing keys.";

    /// <summary>
    /// The error for <paramref name="exception"/> about <paramref name="target"/>, and whether it must stop the
    /// pipeline: only a rejected secret key does, since every further request would be rejected too.
    /// </summary>
    public static CommandError From(Exception exception, object? target)
    {
        return exception switch
        {
            ClerkApiException api => FromApi(api, target),
            ClerkConnectionException connection => new CommandError(connection, "ClerkConnectionFailed", ErrorCategory.ConnectionError, target)
            {
                Details = connection.Message,
                RecommendedAction = "Check the network path to Clerk (proxy, DNS, firewall) and try again; " + AttemptsMade(connection.Attempts) + ".",
            },
            ClerkInvalidArgumentException argument => new CommandError(argument, "ClerkInvalidArgument", ErrorCategory.InvalidArgument, target)
            {
                Details = argument.Message,
            },
            _ => new CommandError(exception, "ClerkUnexpectedError", ErrorCategory.NotSpecified, target) { Details = exception.Message },
        };
    }

    public static CommandError Terminating(string errorId, ErrorCategory category, string message, object? target = null, string? recommendedAction = null) =>
        new(new InvalidOperationException(message), errorId, category, target) { Details = message, RecommendedAction = recommendedAction };

    /// <summary>A piped object that names no session: no id, or an empty one. Nothing is sent for it.</summary>
    public static CommandError InvalidSessionInput(object? input)
    {
        var message = input switch
        {
            null => "The input is $null, not a session or a session id.",
            string => "The session id is empty.",
            _ => NoSessionId(input, new[] { "Id", "SessionId" }),
        };
        return new CommandError(new ArgumentException(message), "ClerkSessionInputInvalid", ErrorCategory.InvalidArgument, input) { Details = message };
    }

    /// <summary>Why <paramref name="input"/>, piped, names no session: it has none of <paramref name="properties"/> with a value.</summary>
    public static string NoSessionId(object input, IReadOnlyList<string> properties) =>
        $"The input ({TypeName(input)}) has no session id: pipe sessions from Get-ClerkSession, session ids (sess_...), or objects whose "
        + (properties.Count == 1 ? properties[0] : string.Join(", ", properties.Take(properties.Count - 1)) + " or " + properties[properties.Count - 1])
        + " property is not empty.";

    private static string TypeName(object input) =>
        input is PSObject wrapped ? wrapped.TypeNames.FirstOrDefault() ?? wrapped.BaseObject.GetType().FullName ?? "object" : input.GetType().FullName ?? "object";

    private static CommandError FromApi(ClerkApiException api, object? target)
    {
        var (errorId, category) = api.StatusCode switch
        {
            404 => (NotFoundId(api), ErrorCategory.ObjectNotFound),
            401 when api.IsSecretKeyRejected => ("ClerkSecretKeyRejected", ErrorCategory.AuthenticationError),
            401 when api.Operation == ClerkOperation.RefreshSession => ("ClerkSessionRefreshRefused", ErrorCategory.AuthenticationError),
            401 => ("ClerkUnauthorized", ErrorCategory.AuthenticationError),
            403 => ("ClerkPermissionDenied", ErrorCategory.PermissionDenied),
            400 or 422 => ("ClerkInvalidRequest", ErrorCategory.InvalidArgument),
            410 => ("ClerkEndpointRetired", ErrorCategory.NotImplemented),
            429 => ("ClerkRateLimited", ErrorCategory.LimitsExceeded),
            >= 500 => ("ClerkServerError", ErrorCategory.ConnectionError),
            _ => ("ClerkRequestFailed", ErrorCategory.NotSpecified),
        };

        return new CommandError(api, errorId, category, target)
        {
            Details = Describe(api, errorId),
            RecommendedAction = Recommend(api, errorId),
        };
    }

    private static string NotFoundId(ClerkApiException api) => api.Operation switch
    {
        ClerkOperation.CreateSession => "ClerkUserNotFound",
        ClerkOperation.CreateSessionTokenFromTemplate when MentionsTemplate(api) => "ClerkJwtTemplateNotFound",
        ClerkOperation.GetJwks => "ClerkJwksNotFound",
        _ => "ClerkSessionNotFound",
    };

    private static bool MentionsTemplate(ClerkApiException api) =>
        api.Errors.Any(error => (error.Message + " " + error.LongMessage).IndexOf("template", StringComparison.OrdinalIgnoreCase) >= 0);

    /// <summary>Clerk's messages often lack a full stop; one is added before more text follows.</summary>
    private static string Sentence(string message) => message.TrimEnd().EndsWith(".", StringComparison.Ordinal) ? message.TrimEnd() : message.TrimEnd() + ".";

    private static string Describe(ClerkApiException api, string errorId)
    {
        var text = errorId switch
        {
            "ClerkSessionRefreshRefused" => $"Clerk refused to refresh session {api.SessionId}: {Sentence(api.Message)} Fall back to the handshake flow (redirect the user to sign in again).",

            // Clerk's own words speak of "an active session", which reads as if a session were the problem.
            "ClerkSecretKeyRejected" => "Clerk rejected the secret key, so the command stopped: " + api.Message,
            _ => api.Message,
        };
        var facts = new List<string> { "HTTP " + api.StatusCode.ToString(CultureInfo.InvariantCulture) };
        if (api.Code is string code)
        {
            facts.Add("code " + code);
        }

        if (api.TraceId is string traceId)
        {
            facts.Add("trace id " + traceId);
        }

        var described = text + " (" + string.Join(", ", facts) + ")";
        return IsRetiredVerify(api, errorId) ? described + " " + RetiredVerifyDrop : described;
    }

    private static string? Recommend(ClerkApiException api, string errorId) => errorId switch
    {
        "ClerkSecretKeyRejected" => "Connect again with a valid secret key: Connect-Clerk -SecretKey (Read-Host -AsSecureString 'Clerk secret key').",
        "ClerkSessionRefreshRefused" => "The session cannot be refreshed; send the user through Clerk's handshake (sign-in) flow.",
        "ClerkRateLimited" => api.RetryAfter is TimeSpan wait
            ? $"Clerk asked to wait {wait.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s; try again later or lower the request rate."
            : "Try again later or lower the request rate.",
        "ClerkEndpointRetired" => IsRetiredVerify(api, errorId)
            ? RetiredVerifyInstead
            : "This endpoint is gone from the Clerk API version in use.",
        "ClerkServerError" => "Clerk had a problem" + (api.Attempts > 1 ? "; " + AttemptsMade(api.Attempts) : "") + ". Try again later and quote the trace id to Clerk support.",
        _ => null,
    };

    /// <summary>How many attempts the client made: "retried" only when the retry policy repeated the request.</summary>
    private static string AttemptsMade(int attempts) => attempts > 1
        ? attempts.ToString(CultureInfo.InvariantCulture) + " attempts were made (the request was retried)"
        : "1 attempt was made";

    private static bool IsRetiredVerify(ClerkApiException api, string errorId) =>
        errorId == "ClerkEndpointRetired" && api.Operation == ClerkOperation.VerifySession;
}
