using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ClerkSessions.Core.Http;

/// <summary>
/// The outermost handler: runs each attempt under its own timeout, reads the whole answer inside it, and repeats the
/// call when <see cref="RetryPolicy"/> allows. Every wait observes the caller's token, so Ctrl+C ends it at once.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly ClerkClientOptions _options;
    private readonly RetryPolicy _policy;

    public RetryHandler(ClerkClientOptions options)
    {
        _options = options;
        _policy = new RetryPolicy(options);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ClerkRequest.Of(request) ?? throw new InvalidOperationException("Requests must be built by ClerkRequest.");
        var clock = Stopwatch.StartNew();
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            call.Attempts = attempt;
            var (response, failure, failureKind) = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
            var status = response is null ? (int?)null : (int)response.StatusCode;
            var decision = _policy.Decide(call.IsRetrySafe, attempt, status, RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow), failureKind, Spent(clock.Elapsed, waited));
            if (decision.Reason is not null)
            {
                _options.Log.Verbose($"{call.Method} {call.RelativePath}: {decision.Reason}");
            }

            if (!decision.Retry)
            {
                if (response is not null)
                {
                    return response;
                }

                ExceptionDispatchInfo.Capture(failure!).Throw();
            }

            response?.Dispose();
            waited += decision.Delay;
            await _options.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Time spent so far: never less than the waits themselves, even when a timer fires early.</summary>
    private static TimeSpan Spent(TimeSpan elapsed, TimeSpan waited) => elapsed > waited ? elapsed : waited;

    private async Task<(HttpResponseMessage? Response, Exception? Failure, AttemptFailure Kind)> AttemptAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(_options.AttemptTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);

            // Read the body within the attempt too: an answer that stalls or breaks mid-body is a failed attempt.
            using (attemptTimeout.Token.Register(response.Dispose))
            {
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            }

            attemptTimeout.Token.ThrowIfCancellationRequested();
            return (response, null, AttemptFailure.None);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(exception))
        {
            response?.Dispose();
            var timedOut = attemptTimeout.IsCancellationRequested;
            Exception failure = timedOut
                ? new TimeoutException($"Clerk did not answer within {RetryPolicy.Seconds(_options.AttemptTimeout)}.", exception)
                : exception;
            return (null, failure, RetryPolicy.Classify(exception, timedOut));
        }
    }

    private static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException;
}
