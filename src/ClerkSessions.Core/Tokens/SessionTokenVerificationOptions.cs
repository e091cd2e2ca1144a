namespace ClerkSessions.Core.Tokens;

/// <summary>What a session token must satisfy beyond its signature and lifetime.</summary>
public sealed class SessionTokenVerificationOptions
{
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(5);

    private TimeSpan _clockSkew = DefaultClockSkew;
    private Func<DateTimeOffset> _now = () => DateTimeOffset.UtcNow;

    /// <summary>When set, the token's <c>sid</c> must be exactly this.</summary>
    public string? SessionId { get; set; }

    /// <summary>When set and not empty, the token's <c>azp</c> must be present and one of these (compared exactly).</summary>
    public IReadOnlyCollection<string>? AuthorizedParties { get; set; }

    /// <summary>How far this machine's clock may be off from Clerk's when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew
    {
        get => _clockSkew;
        set => _clockSkew = value >= TimeSpan.Zero ? value : throw new ClerkInvalidArgumentException("The clock skew (-ClockSkew) cannot be negative.");
    }

    /// <summary>The current time; replaceable for tests.</summary>
    public Func<DateTimeOffset> Now
    {
        get => _now;
        set => _now = value ?? throw new ArgumentNullException(nameof(value));
    }
}
