using ClerkSessions.Core.Models;

namespace ClerkSessions.Core;

/// <summary>The operations of the Sessions API (named as the spec's operationIds).</summary>
public enum ClerkOperation
{
    GetSessionList,
    CreateSession,
    GetSession,
    RefreshSession,
    RevokeSession,
    CreateSessionToken,
    CreateSessionTokenFromTemplate,
    VerifySession,
    GetJwks,
}

/// <summary>A call to Clerk that failed; <see cref="SessionId"/> names the session it was about, when there was one.</summary>
public abstract class ClerkException : Exception
{
    protected ClerkException(string message, ClerkOperation operation, string? sessionId, int attempts, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
        SessionId = sessionId;
        Attempts = attempts;
    }

    public ClerkOperation Operation { get; }
    public string? SessionId { get; }

    /// <summary>How many times the request was sent (or tried to be): 1, or more when the retry policy repeated it.</summary>
    public int Attempts { get; }
}

/// <summary>Clerk answered, and the answer was a failure (or could not be read).</summary>
public sealed class ClerkApiException : ClerkException
{
    internal ClerkApiException(
        string message,
        ClerkOperation operation,
        string? sessionId,
        int statusCode,
        IReadOnlyList<ClerkError> errors,
        string? traceId,
        TimeSpan? retryAfter,
        Exception? innerException = null,
        int attempts = 1)
        : base(message, operation, sessionId, attempts, innerException)
    {
        StatusCode = statusCode;
        Errors = errors;
        TraceId = traceId;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }

    /// <summary>Every error Clerk listed, in its order; empty when the body was not Clerk's error JSON.</summary>
    public IReadOnlyList<ClerkError> Errors { get; }

    /// <summary>The first error's code (e.g. <c>resource_not_found</c>), if any.</summary>
    public string? Code => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>Clerk's trace id: quote it when asking Clerk's support about this failure.</summary>
    public string? TraceId { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>True when the endpoint no longer exists in the API version used (HTTP 410).</summary>
    public bool IsEndpointRetired => StatusCode == 410;

    /// <summary>
    /// True when Clerk rejected the secret key itself, so every further request would be rejected too. A refresh is
    /// refused with 401 as well, so there only Clerk's <c>authentication_invalid</c> code means the key; elsewhere a
    /// 401 without a code is taken as the key.
    /// </summary>
    public bool IsSecretKeyRejected =>
        StatusCode == 401 && (Code == AuthenticationInvalidCode || (Code is null && Operation != ClerkOperation.RefreshSession));

    private const string AuthenticationInvalidCode = "authentication_invalid";
}

/// <summary>No answer from Clerk: the connection failed or every attempt timed out.</summary>
public sealed class ClerkConnectionException : ClerkException
{
    internal ClerkConnectionException(string message, ClerkOperation operation, string? sessionId, int attempts, bool timedOut, Exception innerException)
        : base(message, operation, sessionId, attempts, innerException)
    {
        TimedOut = timedOut;
    }

    public bool TimedOut { get; }
}
