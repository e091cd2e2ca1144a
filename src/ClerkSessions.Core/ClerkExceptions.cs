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
    protected ClerkException(string message, ClerkOperation operation, string? sessionId, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
        SessionId = sessionId;
    }

    public ClerkOperation Operation { get; }
    public string? SessionId { get; }
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
        Exception? innerException = null)
        : base(message, operation, sessionId, innerException)
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
}

/// <summary>No answer from Clerk: the connection failed or every attempt timed out.</summary>
public sealed class ClerkConnectionException : ClerkException
{
    internal ClerkConnectionException(string message, ClerkOperation operation, string? sessionId, int attempts, bool timedOut, Exception innerException)
        : base(message, operation, sessionId, innerException)
    {
        Attempts = attempts;
        TimedOut = timedOut;
    }

    public int Attempts { get; }
    public bool TimedOut { get; }
}
