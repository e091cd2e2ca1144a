using System.Globalization;

namespace ClerkSessions.Core;

/// <summary>
/// How many requests a connection sends to its Clerk instance per window. Clerk limits each instance to 100 requests
/// per 10 s on development and 1000 on production, and answers anything over with 429.
/// </summary>
public sealed class ClerkRateLimit
{
    public static readonly TimeSpan ClerkWindow = TimeSpan.FromSeconds(10);

    public ClerkRateLimit(int limit, TimeSpan window)
    {
        if (limit < 0)
        {
            throw new ClerkInvalidArgumentException($"The rate limit must be 0 (off) or more requests per window; it was {limit}.", nameof(ClerkClientOptions.RateLimit));
        }

        if (window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromHours(1))
        {
            throw new ClerkInvalidArgumentException($"The rate limit window must be between 1 second and 1 hour; it was {window}.", nameof(ClerkClientOptions.RateLimitWindow));
        }

        Limit = limit;
        Window = window;
    }

    /// <summary>Requests per <see cref="Window"/>; 0 when the client does not pace its requests.</summary>
    public int Limit { get; }

    public TimeSpan Window { get; }

    public bool IsOff => Limit == 0;

    /// <summary>Clerk's own limit for an instance of <paramref name="environment"/>.</summary>
    public static ClerkRateLimit For(ClerkEnvironment environment) => new(ClerkLimitOf(environment), ClerkWindow);

    /// <summary>The limit <paramref name="options"/> ask for, Clerk's for the key's environment where they leave it out.</summary>
    internal static ClerkRateLimit From(ClerkClientOptions options, ClerkEnvironment environment) =>
        new(options.RateLimit ?? ClerkLimitOf(environment), options.RateLimitWindow);

    private static int ClerkLimitOf(ClerkEnvironment environment) => environment == ClerkEnvironment.Production ? 1000 : 100;

    public override string ToString() => IsOff
        ? "off"
        : string.Format(CultureInfo.InvariantCulture, "{0} / {1} s", Limit, Window.TotalSeconds);
}
