using System.Security;

namespace ClerkSessions.Emulator;

public enum ClerkEmulatorEnvironment
{
    Development,
    Production,
}

/// <summary>How an emulated instance is seeded and served. Checked when it starts.</summary>
public sealed class ClerkEmulatorOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    public int Users { get; set; } = 3;

    public int SessionsPerUser { get; set; } = 6;

    /// <summary>The same seed gives the same ids and statuses.</summary>
    public int Seed { get; set; }

    /// <summary>Decides the key's prefix and the default rate limit; a given <see cref="SecretKey"/> decides it by its prefix instead.</summary>
    public ClerkEmulatorEnvironment Environment { get; set; } = ClerkEmulatorEnvironment.Development;

    /// <summary>The key clients must send; a fresh random one (sk_test_… or sk_live_…) when null.</summary>
    public SecureString? SecretKey { get; set; }

    /// <summary>Requests per <see cref="RateLimitWindow"/>; Clerk's default for the environment when null (100 development, 1000 production); 0 turns it off.</summary>
    public int? RateLimit { get; set; }

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Applied to each request's path, query and body before the request log keeps them, so the log holds no token
    /// (Start-ClerkEmulator passes the module's redaction); kept as received when null.
    /// </summary>
    public Func<string, string>? RequestLogFilter { get; set; }

    /// <summary>Clerk's rate limit for a development instance's key.</summary>
    public const int DevelopmentRateLimit = 100;

    /// <summary>Clerk's rate limit for a production instance's key.</summary>
    public const int ProductionRateLimit = 1000;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535.");
        }

        if (Users is < 0 or > 1_000_000 || SessionsPerUser is < 0 or > 1_000_000 || (long)Users * SessionsPerUser > 5_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Users), "Users and SessionsPerUser must not be negative, and at most 5,000,000 sessions in all.");
        }

        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "Latency must not be negative.");
        }
    }
}
