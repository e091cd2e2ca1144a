using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace ClerkSessions.Core.Http;

/// <summary>
/// The outermost handler: lets each attempt through the connection's <see cref="RateGate"/> (but <c>GET /jwks</c>,
/// which Clerk does not rate limit), runs it under its own timeout, reads the whole answer inside it, pauses the whole
/// connection on a 429, and repeats the call when <see cref="RetryPolicy"/> allows. Every wait observes the caller's
/// token, so Ctrl+C ends it at once.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly ClerkClientOptions _options;
    private readonly RetryPolicy _policy;
    private readonly RateGate _gate;

    public RetryHandler(ClerkClientOptions options, RateGate gate)
    {
        _options = options;
        _policy = new RetryPolicy(options);
        _gate = gate;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ClerkRequest.Of(request) ?? throw new InvalidOperationException("Requests must be built by ClerkRequest.");
        var clock = Stopwatch.StartNew();
        var waited = TimeSpan.Zero;
        var waitedUntil = 0L;
        for (var attempt = 1; ; attempt++)
        {
            call.Attempts = attempt;
            if (call.Operation != ClerkOperation.GetJwks)
            {
                var paused = _gate.PausedFor;
                if (paused > TimeSpan.Zero && waitedUntil == 0)
                {
                    _options.Log.Verbose($"{call.Method} {call.RelativePath}: waits {RetryPolicy.Seconds(paused)}, as this connection is paused after an HTTP 429.");
                }

                await _gate.EnterAsync(waitedUntil, cancellationToken).ConfigureAwait(false);
            }

            var (response, failure, failureKind) = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
            var status = response is null ? (int?)null : (int)response.StatusCode;
            var retryAfter = RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow);
            var decision = _policy.Decide(call.IsRetrySafe, attempt, status, retryAfter, failureKind, Spent(clock.Elapsed, waited));
            var reason = decision.Reason;
            if (status == 429)
            {
                // The retry below waits the same pause; every other request of the connection waits at the gate.
                var pause = decision.Retry ? decision.Delay : _policy.Pause(retryAfter, attempt);
                waitedUntil = _gate.Pause(pause);
                reason += $"; every request of this connection waits {RetryPolicy.Seconds(pause)}";
            }

            if (reason is not null)
            {
                _options.Log.Verbose($"{call.Method} {call.RelativePath}: {reason}");
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
