using System.Globalization;

namespace ClerkSessions.Core;

/// <summary>How a <see cref="ClerkSessionsClient"/> talks to Clerk. Checked once, when the client is built.</summary>
public sealed class ClerkClientOptions
{
    public static readonly Uri DefaultBaseUrl = new("https://api.clerk.com/v1/");
    public const string DefaultApiVersion = "2026-05-12";

    /// <summary>The Backend API root; https unless the host is loopback.</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Sent as the <c>Clerk-API-Version</c> header.</summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The most retries <see cref="MaxRetries"/> may ask for.</summary>
    public const int MaxRetriesLimit = 20;

    /// <summary>How many times a failed request may be repeated (0 = never).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The most time one call may spend, retries and waits included, before it gives up retrying.</summary>
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest Retry-After the client will wait; Clerk asking for longer ends the call with the error.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first backoff step; each further retry doubles it, up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long one attempt may wait for Clerk's answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most requests the client starts per <see cref="RateLimitWindow"/>, whatever call sends them; null paces at
    /// Clerk's limit for the key's environment (<see cref="ClerkRateLimit.For"/>), 0 does not pace at all.
    /// </summary>
    public int? RateLimit { get; set; }

    public TimeSpan RateLimitWindow { get; set; } = ClerkRateLimit.ClerkWindow;

    /// <summary>The shell running the module, for the User-Agent, e.g. <c>PowerShell/7.4.6 (Core)</c>.</summary>
    public string? HostDescription { get; set; }

    public IClerkLogSink? Log { get; set; }

    /// <summary>Waits between attempts; tests replace it to observe the waits without spending them.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    internal Random Jitter { get; set; } = new();

    /// <summary>Checks every setting and returns the base URL normalised to end in '/'.</summary>
    internal Uri Validate()
    {
        var baseUrl = BaseUrl ?? throw new ClerkInvalidArgumentException("BaseUrl is required.", nameof(BaseUrl));
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ClerkInvalidArgumentException($"The API URL must be absolute, e.g. {DefaultBaseUrl}.", nameof(BaseUrl));
        }

        if (baseUrl.UserInfo.Length > 0 || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
        {
            throw new ClerkInvalidArgumentException($"The API URL must not carry credentials, a query or a fragment ({Shown(baseUrl)}).", nameof(BaseUrl));
        }

        var secureEnough = baseUrl.Scheme == Uri.UriSchemeHttps || (baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback);
        if (!secureEnough)
        {
            throw new ClerkInvalidArgumentException(
                $"The API URL {Shown(baseUrl)} must use https (plain http is accepted only for loopback hosts): the secret key travels with every request.",
                nameof(BaseUrl));
        }

        // Clerk names its versions by their release date; anything else would only earn a 400 api_version_invalid.
        if (ApiVersion is null || !DateTime.TryParseExact(ApiVersion, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new ClerkInvalidArgumentException(
                $"The API version must be a Clerk API version, a date such as '{DefaultApiVersion}'{(ApiVersion is null ? "" : "; it was " + Redaction.Quote(ApiVersion))}.",
                nameof(ApiVersion));
        }

        ClerkValidation.Range(MaxRetries, 0, MaxRetriesLimit, nameof(MaxRetries), nameof(MaxRetries));
        RequirePositive(MaxRetryDuration, nameof(MaxRetryDuration));
        RequirePositive(AttemptTimeout, nameof(AttemptTimeout));
        RequirePositive(InitialBackoff, nameof(InitialBackoff));
        RequirePositive(MaxBackoff, nameof(MaxBackoff));
        if (MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ClerkInvalidArgumentException("MaxRetryAfter must not be negative.", nameof(MaxRetryAfter));
        }

        return baseUrl.AbsolutePath.EndsWith("/", StringComparison.Ordinal)
            ? baseUrl
            : new Uri(baseUrl.GetLeftPart(UriPartial.Path) + "/");
    }

    internal ClerkClientOptions Clone() => (ClerkClientOptions)MemberwiseClone();

    /// <summary>
    /// A URL as messages show it: scheme, host, port and, for http(s), the path; never credentials, a query or a
    /// fragment, which may hold secrets. Other schemes show only their name: their text after it may be anything.
    /// </summary>
    private static string Shown(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp
        ? "'" + url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) + "'"
        : "'" + url.Scheme + ":…'";

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ClerkInvalidArgumentException($"{name} must be greater than zero; it was {value}.", name);
        }
    }
}
