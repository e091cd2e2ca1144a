namespace ClerkSessions.Core.Json;

/// <summary>Clerk's timestamps are Unix milliseconds.</summary>
public static class UnixTime
{
    private static readonly long MinMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>The instant, or null when there is none or it lies outside what <see cref="DateTimeOffset"/> can hold.</summary>
    public static DateTimeOffset? FromMilliseconds(long? milliseconds) =>
        milliseconds is long value && value >= MinMilliseconds && value <= MaxMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds(value)
            : null;
}
