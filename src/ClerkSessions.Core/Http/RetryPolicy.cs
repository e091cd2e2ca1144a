using System.Net;
using System.Net.Sockets;

namespace ClerkSessions.Core.Http;

internal enum AttemptFailure
{
    None,

    /// <summary>The connection could not be made: the request provably never reached Clerk.</summary>
    NotSent,

    /// <summary>The connection failed after the request may have been sent.</summary>
    Network,

    Timeout,
}

internal readonly struct RetryDecision
{
    private RetryDecision(bool retry, TimeSpan delay, string? reason)
    {
        Retry = retry;
        Delay = delay;
        Reason = reason;
    }

    public bool Retry { get; }
    public TimeSpan Delay { get; }

    /// <summary>Why the call is (not) repeated; null when there was nothing to repeat.</summary>
    public string? Reason { get; }

    public static RetryDecision Done { get; } = new(false, TimeSpan.Zero, null);

    public static RetryDecision Stop(string reason) => new(false, TimeSpan.Zero, reason);

    public static RetryDecision After(TimeSpan delay, string reason) => new(true, delay, reason);
}

/// <summary>Decides, after each attempt, whether and when to try again. Pure, so every rule is unit-tested.</summary>
internal sealed class RetryPolicy
{
    private readonly ClerkClientOptions _options;

    public RetryPolicy(ClerkClientOptions options) => _options = options;

    /// <param name="attempt">How many attempts have been made, this one included.</param>
    public RetryDecision Decide(bool retrySafe, int attempt, int? status, TimeSpan? retryAfter, AttemptFailure failure, TimeSpan elapsed)
    {
        string what;
        var delay = Backoff(attempt);
        switch (failure)
        {
            case AttemptFailure.NotSent:
                what = "the connection to Clerk failed before the request was sent";
                break;
            case AttemptFailure.Network or AttemptFailure.Timeout:
                what = failure == AttemptFailure.Timeout
                    ? $"no answer within {Seconds(_options.AttemptTimeout)}"
                    : "the connection failed";
                if (!retrySafe)
                {
                    return RetryDecision.Stop($"{what}; not repeated, as the request may have reached Clerk and it is not safe to repeat");
                }

                break;
            default:
                if (status is not (429 or 500 or 502 or 503 or 504))
                {
                    return RetryDecision.Done;
                }

                what = $"HTTP {status}";
                if (!retrySafe)
                {
                    return RetryDecision.Stop($"{what}; not repeated, as this request is not safe to repeat");
                }

                if (retryAfter is TimeSpan asked)
                {
                    if (asked > _options.MaxRetryAfter)
                    {
                        return RetryDecision.Stop($"{what}; Clerk asked to wait {Seconds(asked)}, longer than the {Seconds(_options.MaxRetryAfter)} allowed");
                    }

                    delay = status == 429 ? asked : Max(delay, asked);
                }

                break;
        }

        if (attempt > _options.MaxRetries)
        {
            return RetryDecision.Stop($"{what}; gave up after {attempt} attempts");
        }

        if (elapsed + delay > _options.MaxRetryDuration)
        {
            return RetryDecision.Stop($"{what}; waiting {Seconds(delay)} more would pass the {Seconds(_options.MaxRetryDuration)} retry budget");
        }

        return RetryDecision.After(delay, $"{what}; retry {attempt} of {_options.MaxRetries} in {Seconds(delay)}");
    }

    /// <summary>How long a 429 that is not retried still pauses the connection: as Clerk asked (at most the longest wait allowed), else a backoff step.</summary>
    public TimeSpan Pause(TimeSpan? retryAfter, int attempt) =>
        retryAfter is TimeSpan asked ? (asked > _options.MaxRetryAfter ? _options.MaxRetryAfter : asked) : Backoff(attempt);

    /// <summary>Exponential, capped, with "equal jitter": never less than half the step, so retries stay spaced.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var step = Math.Min(_options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent), _options.MaxBackoff.TotalMilliseconds);
        double jitter;
        lock (_options.Jitter)
        {
            jitter = _options.Jitter.NextDouble();
        }

        return TimeSpan.FromMilliseconds(step / 2 + jitter * step / 2);
    }

    public static AttemptFailure Classify(Exception exception, bool timedOut)
    {
        if (timedOut)
        {
            return AttemptFailure.Timeout;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket && IsBeforeSending(socket.SocketErrorCode))
            {
                return AttemptFailure.NotSent;
            }

            if (current is WebException { Status: WebExceptionStatus.ConnectFailure or WebExceptionStatus.NameResolutionFailure })
            {
                return AttemptFailure.NotSent;
            }
        }

        return AttemptFailure.Network;
    }

    /// <summary>Parses Retry-After as seconds or an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool IsBeforeSending(SocketError error) => error is SocketError.ConnectionRefused
        or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable
        or SocketError.TryAgain or SocketError.NoData or SocketError.AddressNotAvailable;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString(value.TotalSeconds < 10 ? "0.0" : "0", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
