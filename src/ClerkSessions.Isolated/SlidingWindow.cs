using System.Threading.RateLimiting;

namespace ClerkSessions.Isolated;

/// <summary>At most <c>permitLimit</c> entries in any window, queued oldest first without limit.</summary>
internal sealed class SlidingWindow : IDisposable
{
    private readonly SlidingWindowRateLimiter _limiter;

    public SlidingWindow(int permitLimit, TimeSpan window, int segmentsPerWindow)
    {
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            SegmentsPerWindow = segmentsPerWindow,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits for room for one entry.</summary>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The rate limiter refused a request it should have queued.");
        }
    }

    public void Dispose() => _limiter.Dispose();
}
