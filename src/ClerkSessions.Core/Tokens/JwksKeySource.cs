using System.Globalization;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core.Tokens;

/// <summary>
/// The instance's signing keys from <c>GET /jwks</c>, cached. Hold one per connection (it fetches through that
/// connection's client and is useless without it); it is safe to share between threads and holds no secret.
/// <para>
/// The set is fetched on first use and again once it is older than <see cref="MaxAge"/>. A token naming a key the
/// cached set lacks (Clerk rotated its keys) makes it fetch again, but only if no fetch was tried within
/// <see cref="RefreshInterval"/>: a stream of tokens with made-up key ids costs at most one request per interval.
/// </para>
/// </summary>
public sealed class JwksKeySource : IJwtKeySource
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Func<CancellationToken, Task<JsonWebKeySet>> _fetch;
    private readonly Func<DateTimeOffset> _clock;

    // Not disposed: a SemaphoreSlim only holds a kernel handle once AvailableWaitHandle is read, which never happens here.
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile KeySet? _keys;
    private long _lastAttemptTicks;

    /// <param name="fetch">Reads the key set, typically <see cref="ClerkSessionsClient.GetJwksAsync"/>; its exceptions reach the caller.</param>
    /// <param name="clock">For tests; the default is <see cref="DateTimeOffset.UtcNow"/>.</param>
    public JwksKeySource(Func<CancellationToken, Task<JsonWebKeySet>> fetch, TimeSpan? maxAge = null, TimeSpan? refreshInterval = null, Func<DateTimeOffset>? clock = null)
    {
        _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
        MaxAge = maxAge ?? DefaultMaxAge;
        RefreshInterval = refreshInterval ?? DefaultRefreshInterval;
        if (MaxAge <= TimeSpan.Zero || RefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(maxAge <= TimeSpan.Zero ? nameof(maxAge) : nameof(refreshInterval), "The maximum age must be positive and the refresh interval not negative.");
        }

        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public TimeSpan MaxAge { get; }
    public TimeSpan RefreshInterval { get; }

    /// <summary>When the cached set was fetched; null before the first successful fetch.</summary>
    public DateTimeOffset? FetchedAt => _keys?.FetchedAt;

    /// <summary>The ids of the usable keys in the cached set (RSA, RS256 or no alg, sig or no use).</summary>
    public IReadOnlyCollection<string> KeyIds => _keys?.ById.Keys.ToArray() ?? Array.Empty<string>();

    public async Task<JwtSigningKey?> FindAsync(string? keyId, CancellationToken cancellationToken)
    {
        // Every key in a JWKS is found by its kid; a token without one can match none of them.
        if (keyId is null)
        {
            return null;
        }

        var cached = _keys;
        if (!MustFetch(cached, keyId))
        {
            return cached!.Find(keyId);
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched while this one waited.
            var keys = _keys;
            if (MustFetch(keys, keyId))
            {
                Interlocked.Exchange(ref _lastAttemptTicks, _clock().UtcTicks);
                var set = await _fetch(cancellationToken).ConfigureAwait(false);
                keys = _keys = new KeySet(set, _clock());
            }

            return keys!.Find(keyId);
        }
        finally
        {
            _fetching.Release();
        }
    }

    public override string ToString() => FetchedAt is DateTimeOffset fetched
        ? string.Format(CultureInfo.InvariantCulture, "JWKS with {0} usable key(s), fetched {1:u}", KeyIds.Count, fetched)
        : "JWKS, not fetched yet";

    private bool MustFetch(KeySet? keys, string keyId)
    {
        var now = _clock();
        if (keys is null || now - keys.FetchedAt >= MaxAge)
        {
            return true;
        }

        var lastAttempt = Interlocked.Read(ref _lastAttemptTicks);
        return keys.Find(keyId) is null && now.UtcTicks - lastAttempt >= RefreshInterval.Ticks;
    }

    /// <summary>One fetched set: the usable keys by id. Immutable, so readers need no lock.</summary>
    private sealed class KeySet
    {
        public KeySet(JsonWebKeySet? set, DateTimeOffset fetchedAt)
        {
            FetchedAt = fetchedAt;
            foreach (var key in set?.Keys ?? new List<JsonWebKey>())
            {
                if (key?.Kid is string id && !ById.ContainsKey(id) && ToSigningKey(key) is JwtSigningKey usable)
                {
                    ById.Add(id, usable);
                }
            }
        }

        public DateTimeOffset FetchedAt { get; }
        public Dictionary<string, JwtSigningKey> ById { get; } = new(StringComparer.Ordinal);

        public JwtSigningKey? Find(string keyId) => ById.TryGetValue(keyId, out var key) ? key : null;

        /// <summary>Only RSA signing keys for RS256 qualify; anything else in the set (EC, symmetric, encryption keys) is ignored.</summary>
        private static JwtSigningKey? ToSigningKey(JsonWebKey key) =>
            key.Kty == "RSA" && (key.Alg is null or "RS256") && (key.Use is null or "sig")
            && Base64Url.TryDecode(key.N, out var modulus) && Base64Url.TryDecode(key.E, out var exponent)
                ? JwtSigningKey.TryCreate(key.Kid, modulus, exponent, out _)
                : null;
    }
}
