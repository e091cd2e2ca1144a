using System.Threading.RateLimiting;

namespace ClerkSessions.Isolated;

/// <summary>A bucket of <c>tokenLimit</c> tokens, refilled by <c>tokensPerPeriod</c> every <c>period</c>; nothing queues.</summary>
internal sealed class TokenBucket : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;

    public TokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan period)
    {
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokenLimit,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Takes a token if one is there; if not, how long until one will be, when the bucket can tell.</summary>
    public (bool Taken, TimeSpan? RetryAfter) TryTake()
    {
        using var lease = _bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return (true, null);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    public void Dispose() => _bucket.Dispose();
}
