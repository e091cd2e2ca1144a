using ClerkSessions.Isolated;

namespace ClerkSessions.Emulator.Api;

/// <summary>
/// Clerk's per-instance rate limit as a token bucket: <see cref="Limit"/> requests at once, refilled evenly over
/// <see cref="Window"/> (in up to 100 steps, so a development limit of 100 / 10 s refills one request every 100 ms).
/// A request over the limit learns how long to wait from the bucket.
/// </summary>
internal sealed class InstanceRateLimit : IDisposable
{
    private readonly TokenBucket? _bucket;

    public InstanceRateLimit(int limit, TimeSpan window)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The rate limit must be 0 (off) or more.");
        }

        if (limit > 0 && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The rate limit window must be longer than zero.");
        }

        Limit = limit;
        Window = window;
        if (limit == 0)
        {
            return;
        }

        // The most steps (up to 100) that divide the limit evenly, so the refill rate is exactly limit / window.
        var steps = Enumerable.Range(1, Math.Min(limit, 100)).Last(candidate => limit % candidate == 0);
        _bucket = new TokenBucket(limit, limit / steps, TimeSpan.FromTicks(window.Ticks / steps));
    }

    /// <summary>Requests per <see cref="Window"/>; 0 when off.</summary>
    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>Null when the request may go ahead, else how long to wait before another will be accepted.</summary>
    public TimeSpan? TryAcquire()
    {
        if (_bucket is null)
        {
            return null;
        }

        var (taken, retryAfter) = _bucket.TryTake();
        return taken ? null : retryAfter ?? Window;
    }

    public void Dispose() => _bucket?.Dispose();
}
