using System.Diagnostics;
using ClerkSessions.Isolated;

namespace ClerkSessions.Core.Http;

/// <summary>
/// The one gate every request of a connection passes, whichever command, page or runspace sends it: a sliding window
/// that lets at most <see cref="ClerkRateLimit.Limit"/> requests start in any <see cref="ClerkRateLimit.Window"/>, and a
/// pause that a 429 puts on the whole connection until its Retry-After has passed. Waits observe the caller's token.
/// </summary>
internal sealed class RateGate : IDisposable
{
    /// <summary>The window moves in steps of a hundredth: at most 1% of the throughput is given up to never overshoot.</summary>
    private const int Steps = 100;

    private readonly SlidingWindow? _window;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private long _pausedUntil;

    public RateGate(ClerkRateLimit limit, Func<TimeSpan, CancellationToken, Task> delay)
    {
        Limit = limit;
        _delay = delay;
        if (limit.IsOff)
        {
            return;
        }

        // A permit comes back a whole segment after the window in which it was taken, so two requests using the same
        // permit are always at least one full window apart.
        var segment = TimeSpan.FromTicks(limit.Window.Ticks / Steps);
        _window = new SlidingWindow(limit.Limit, limit.Window + segment, Steps + 1);
    }

    public ClerkRateLimit Limit { get; }

    /// <summary>How long the connection is still paused for; zero when it is not.</summary>
    public TimeSpan PausedFor
    {
        get
        {
            var remaining = Interlocked.Read(ref _pausedUntil) - Stopwatch.GetTimestamp();
            return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency);
        }
    }

    /// <summary>
    /// Waits until the connection is not paused and the window has room for one more request. A request that has
    /// already waited out a pause (the one its own 429 set, see <see cref="Pause"/>) passes <paramref name="waitedUntil"/>.
    /// </summary>
    public async Task EnterAsync(long waitedUntil, CancellationToken cancellationToken)
    {
        await WhilePausedAsync(waitedUntil, cancellationToken).ConfigureAwait(false);
        if (_window is null)
        {
            return;
        }

        await _window.EnterAsync(cancellationToken).ConfigureAwait(false);

        // A 429 may have paused the connection while this request waited for its turn.
        await WhilePausedAsync(waitedUntil, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Pauses every request of the connection for <paramref name="delay"/> from now (a longer pause already set stays)
    /// and returns when this pause ends, for the request that waits it out itself.
    /// </summary>
    public long Pause(TimeSpan delay)
    {
        var until = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntil);
            if (current >= until)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntil, until, current) != current);
        return until;
    }

    private async Task WhilePausedAsync(long waitedUntil, CancellationToken cancellationToken)
    {
        // Waits again only when another 429 extended the pause meanwhile, so a test's instant delay cannot spin here.
        var until = Interlocked.Read(ref _pausedUntil);
        while (until > waitedUntil && until > Stopwatch.GetTimestamp())
        {
            await _delay(TimeSpan.FromSeconds((double)(until - Stopwatch.GetTimestamp()) / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            var extended = Interlocked.Read(ref _pausedUntil);
            if (extended == until)
            {
                return;
            }

            until = extended;
        }
    }

    public void Dispose() => _window?.Dispose();
}
