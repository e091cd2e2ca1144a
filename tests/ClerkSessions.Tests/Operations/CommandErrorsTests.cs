using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Operations;

public sealed class CommandErrorsTests
{
    [Theory]
    [InlineData(ClerkOperation.GetSession, 404, "resource_not_found", "ClerkSessionNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(ClerkOperation.CreateSession, 404, "resource_not_found", "ClerkUserNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(ClerkOperation.RevokeSession, 401, "authentication_invalid", "ClerkSecretKeyRejected", ErrorCategory.AuthenticationError)]
    [InlineData(ClerkOperation.RefreshSession, 401, "session_refresh_inactive_session", "ClerkSessionRefreshRefused", ErrorCategory.AuthenticationError)]
    [InlineData(ClerkOperation.RefreshSession, 401, null, "ClerkSessionRefreshRefused", ErrorCategory.AuthenticationError)]
    [InlineData(ClerkOperation.RefreshSession, 401, "authentication_invalid", "ClerkSecretKeyRejected", ErrorCategory.AuthenticationError)]
    [InlineData(ClerkOperation.GetSession, 401, null, "ClerkSecretKeyRejected", ErrorCategory.AuthenticationError)]
    [InlineData(ClerkOperation.GetSession, 403, "authorization_invalid", "ClerkPermissionDenied", ErrorCategory.PermissionDenied)]
    [InlineData(ClerkOperation.GetSessionList, 400, "request_invalid", "ClerkInvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData(ClerkOperation.CreateSession, 422, "form_param_value_invalid", "ClerkInvalidRequest", ErrorCategory.InvalidArgument)]
    [InlineData(ClerkOperation.RevokeSession, 429, "too_many_requests", "ClerkRateLimited", ErrorCategory.LimitsExceeded)]
    [InlineData(ClerkOperation.GetSession, 500, "internal_clerk_error", "ClerkServerError", ErrorCategory.ConnectionError)]
    [InlineData(ClerkOperation.GetSession, 503, null, "ClerkServerError", ErrorCategory.ConnectionError)]
    [InlineData(ClerkOperation.VerifySession, 410, "gone", "ClerkEndpointRetired", ErrorCategory.NotImplemented)]
    [InlineData(ClerkOperation.GetSession, 409, "conflict", "ClerkRequestFailed", ErrorCategory.NotSpecified)]
    public void Each_status_has_a_stable_error_id_and_category(ClerkOperation operation, int status, string? code, string errorId, ErrorCategory category)
    {
        var exception = Api(operation, status, code);

        var error = CommandErrors.From(exception, "sess_x");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(category, error.Category);
        Assert.Equal("sess_x", error.TargetObject);
        Assert.Same(exception, error.Exception);
        Assert.Contains("Clerk's long message", error.Details, StringComparison.Ordinal);
        Assert.Contains("trace id trace_1", error.Details, StringComparison.Ordinal);
        Assert.Equal(errorId == "ClerkSecretKeyRejected", exception.IsSecretKeyRejected);
    }

    [Fact]
    public void A_rejected_key_says_the_key_was_rejected_before_Clerks_words_about_an_active_session()
    {
        var error = CommandErrors.From(Api(ClerkOperation.RevokeSession, 401, "authentication_invalid"), "sess_x");

        Assert.StartsWith("Clerk rejected the secret key, so the command stopped: Clerk's long message", error.Details, StringComparison.Ordinal);
        Assert.Contains("Connect-Clerk", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_limit_error_recommends_the_wait_Clerk_asked_for()
    {
        var error = CommandErrors.From(Api(ClerkOperation.RevokeSession, 429, "too_many_requests", TimeSpan.FromSeconds(42)), "sess_x");

        Assert.Contains("42 s", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1 attempt was made.")]
    [InlineData(3, "3 attempts were made (the request was retried).")]
    public void A_connection_failure_says_how_many_attempts_were_made(int attempts, string said)
    {
        var exception = new ClerkConnectionException("The connection to Clerk failed.", ClerkOperation.GetSession, "sess_x", attempts, timedOut: false, new HttpRequestException("refused"));

        var error = CommandErrors.From(exception, "sess_x");

        Assert.Equal("ClerkConnectionFailed", error.ErrorId);
        Assert.EndsWith("and try again; " + said, error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(attempts > 1, error.RecommendedAction!.Contains("retried", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_error_on_a_call_made_once_says_nothing_about_retrying()
    {
        var error = CommandErrors.From(Api(ClerkOperation.CreateSession, 500, "internal_clerk_error"), "user_x");

        Assert.Equal("ClerkServerError", error.ErrorId);
        Assert.Equal("Clerk had a problem. Try again later and quote the trace id to Clerk support.", error.RecommendedAction);
    }

    [Fact]
    public void A_server_error_after_retries_says_how_many_attempts_were_made()
    {
        var error = CommandErrors.From(Api(ClerkOperation.RevokeSession, 500, "internal_clerk_error", attempts: 5), "sess_x");

        Assert.Equal("ClerkServerError", error.ErrorId);
        Assert.Equal("Clerk had a problem; 5 attempts were made (the request was retried). Try again later and quote the trace id to Clerk support.", error.RecommendedAction);
    }

    [Fact]
    public void Argument_and_unknown_failures_map_to_their_own_ids()
    {
        Assert.Equal("ClerkInvalidArgument", CommandErrors.From(new ClerkInvalidArgumentException("bad"), null).ErrorId);
        Assert.Equal("ClerkUnexpectedError", CommandErrors.From(new ArgumentNullException("bug"), null).ErrorId);
        Assert.Equal(ErrorCategory.NotSpecified, CommandErrors.From(new InvalidOperationException("odd"), null).Category);
    }

    [Theory]
    [InlineData("not a jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("a.W10.c")]
    public void A_token_that_cannot_be_read_keeps_its_session_and_has_no_times(string jwt)
    {
        var token = ClerkSessionTokenReader.FromJwt("sess_1", "t", jwt);

        Assert.Equal("sess_1", token.SessionId);
        Assert.Null(token.IssuedAt);
        Assert.Null(token.ExpiresAt);
        Assert.Equal(jwt, SessionOperationTests.Plain(token));
        Assert.True(token.Token.IsReadOnly());
    }

    private static ClerkApiException Api(ClerkOperation operation, int status, string? code, TimeSpan? retryAfter = null, int attempts = 1)
    {
        var errors = code is null
            ? new List<ClerkError>()
            : new List<ClerkError> { new() { Code = code, Message = "short", LongMessage = "Clerk's long message" } };
        return new ClerkApiException("Clerk's long message", operation, "sess_x", status, errors, "trace_1", retryAfter, attempts: attempts);
    }
}
