using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using ClerkSessions.Emulator.Api;
using ClerkSessions.Emulator.Http;
using ClerkSessions.Emulator.Tokens;

namespace ClerkSessions.Emulator;

/// <summary>
/// An emulated Clerk instance serving the Sessions part of the Backend API over HTTP on 127.0.0.1: seeded users,
/// clients and sessions, RS256 session tokens with their keys at <c>GET /v1/jwks</c>, Clerk's error envelopes, the
/// secret key and the Clerk-API-Version checked, Clerk's per-instance rate limit, and scripted faults and latency.
/// </summary>
public sealed class ClerkEmulator : IDisposable
{
    /// <summary>The Clerk-API-Version values the emulator accepts (the Backend API's published versions).</summary>
    public static readonly IReadOnlyList<string> SupportedApiVersions = new[] { "2021-02-05", "2024-10-01", "2025-03-12", "2025-04-10", "2025-11-10", "2026-05-12" };

    /// <summary>The operations the emulator serves, by the spec's operationId (what faults and the request log name).</summary>
    public static IReadOnlyList<string> Operations => Route.Operations;

    private const int MaxKeptRequests = 100_000;
    private const int MaxKeptBodyBytes = 64 * 1024;
    private readonly ClerkEmulatorOptions _options;
    private SecureString _secretKey;
    private volatile byte[] _keyHash;
    private readonly SigningKeys _keys;
    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly List<EmulatorFault> _faults = new();
    private readonly ConcurrentQueue<EmulatorRequest> _requests = new();
    private InstanceState _state;
    private SessionsApi _api;
    private InstanceRateLimit _rateLimit;
    private long _sequence;
    private long _latencyTicks;
    private int _stopped;

    private ClerkEmulator(ClerkEmulatorOptions options)
    {
        options.Validate();
        _options = options;
        var key = options.SecretKey is null ? Secrets.NewKey(options.Environment == ClerkEmulatorEnvironment.Production) : Secrets.Reveal(options.SecretKey);
        Environment = key.StartsWith("sk_live_", StringComparison.Ordinal) ? ClerkEmulatorEnvironment.Production
            : key.StartsWith("sk_test_", StringComparison.Ordinal) ? ClerkEmulatorEnvironment.Development
            : throw new ArgumentException("The emulator's secret key must start with sk_test_ (development) or sk_live_ (production).", nameof(options));
        _secretKey = Secrets.ToSecureString(key);
        _keyHash = Secrets.Hash(key);
        _latencyTicks = options.Latency.Ticks;
        _rateLimit = new InstanceRateLimit(
            options.RateLimit ?? (Environment == ClerkEmulatorEnvironment.Production ? ClerkEmulatorOptions.ProductionRateLimit : ClerkEmulatorOptions.DevelopmentRateLimit),
            options.RateLimitWindow);
        _keys = new SigningKeys("ins_" + ClerkIds.Derive("x", options.Seed, "instance", 0).Substring(2));
        (_state, _api) = NewInstance();
        StartedAt = DateTimeOffset.UtcNow;
        try
        {
            _server = new LoopbackHttpServer(options.Port, HandleAsync, () => Errors.ForStatus(500));
        }
        catch
        {
            // A port in use: nothing started may outlive the failed start.
            _rateLimit.Dispose();
            _keys.Dispose();
            _secretKey.Dispose();
            throw;
        }

        ApiUrl = new Uri($"http://127.0.0.1:{_server.Port.ToString(CultureInfo.InvariantCulture)}/v1/");
    }

    /// <summary>The Backend API root to connect to, e.g. http://127.0.0.1:49152/v1/.</summary>
    public Uri ApiUrl { get; }

    public int Port => _server.Port;

    /// <summary>A copy of the key clients must send as <c>Authorization: Bearer …</c>.</summary>
    public SecureString SecretKey
    {
        get
        {
            lock (_gate)
            {
                return _secretKey.Copy();
            }
        }
    }

    public ClerkEmulatorEnvironment Environment { get; }

    /// <summary>The seeded users, in seed order.</summary>
    public string[] UserIds
    {
        get
        {
            lock (_gate)
            {
                return _state.UserIds.ToArray();
            }
        }
    }

    /// <summary>Each seeded user's organization, in the order of <see cref="UserIds"/> (for New-ClerkSession -ActiveOrganizationId).</summary>
    public string[] OrganizationIds
    {
        get
        {
            lock (_gate)
            {
                return _state.UserIds.Select(_state.OrganizationOf).ToArray();
            }
        }
    }

    public IReadOnlyList<string> TemplateNames => SessionsApi.TemplateNames.ToList();

    public int SessionsPerUser => _options.SessionsPerUser;

    public int Seed => _options.Seed;

    /// <summary>Requests per <see cref="RateLimitWindow"/>; 0 when off.</summary>
    public int RateLimit => _rateLimit.Limit;

    public TimeSpan RateLimitWindow => _rateLimit.Window;

    public TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    /// <summary>The key id tokens are signed with now.</summary>
    public string SigningKeyId => _keys.CurrentKeyId;

    public DateTimeOffset StartedAt { get; }

    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    /// <summary>Copies of the faults still waiting for their requests, in the order they apply.</summary>
    public IReadOnlyList<EmulatorFault> PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Select(fault => fault.Copy()).ToList();
            }
        }
    }

    public static ClerkEmulator Start(ClerkEmulatorOptions? options = null) => new(options ?? new ClerkEmulatorOptions());

    public void SetLatency(TimeSpan latency)
    {
        if (latency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(latency), latency, "Latency must not be negative.");
        }

        Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
    }

    /// <summary>A fresh bucket with <paramref name="limit"/> requests per <paramref name="window"/> (0 = off).</summary>
    public void SetRateLimit(int limit, TimeSpan window)
    {
        var replacement = new InstanceRateLimit(limit, window);
        lock (_gate)
        {
            // Under the lock that requests take a permit under, so none uses the bucket being disposed.
            _rateLimit.Dispose();
            _rateLimit = replacement;
        }
    }

    /// <summary>Signs with a new key from now on; the previous key stays in the JWKS. Returns the new key id.</summary>
    public string RotateSigningKey() => _keys.Rotate();

    /// <summary>
    /// Accepts a new random secret key of the same environment from now on and refuses the previous one with 401
    /// <c>authentication_invalid</c>, as when a key is rolled or deleted at Clerk. Returns a copy of the new key.
    /// </summary>
    public SecureString RotateSecretKey()
    {
        var key = Secrets.NewKey(Environment == ClerkEmulatorEnvironment.Production);
        lock (_gate)
        {
            _secretKey.Dispose();
            _secretKey = Secrets.ToSecureString(key);
            _keyHash = Secrets.Hash(key);
            return _secretKey.Copy();
        }
    }

    public void AddFault(EmulatorFault fault)
    {
        if (fault is null)
        {
            throw new ArgumentNullException(nameof(fault));
        }

        var pending = fault.Copy();
        pending.Validate();
        pending.Remaining = pending.Count;
        lock (_gate)
        {
            _faults.Add(pending);
        }
    }

    /// <summary>The requests received since the start or the last <see cref="Reset"/> (the latest 100,000), oldest first.</summary>
    public IReadOnlyList<EmulatorRequest> GetRequests() => _requests.ToArray();

    /// <summary>The canonical spelling of one of <see cref="Operations"/> (any case), or an ArgumentException naming them all.</summary>
    public static string CanonicalOperation(string operation) =>
        Operations.FirstOrDefault(known => string.Equals(known, operation, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"'{operation}' is not an operation of the emulator: use one of {string.Join(", ", Operations)}.", nameof(operation));

    /// <summary>Seeds the instance again and forgets faults, received requests and the rate limit's use; keys and settings stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            (_state, _api) = NewInstance();
            _faults.Clear();
            while (_requests.TryDequeue(out _))
            {
            }

            _sequence = 0;
        }

        SetRateLimit(RateLimit, RateLimitWindow);
    }

    /// <summary>What a browser signed in to <paramref name="sessionId"/> holds once its session token expired, for trying a refresh.</summary>
    public BrowserTokens GetBrowserTokens(string sessionId, string requestOrigin = "https://app.example.com") => Api.BrowserTokens(sessionId, requestOrigin);

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _server.Dispose();
        lock (_gate)
        {
            _rateLimit.Dispose();
        }

        _keys.Dispose();
    }

    public void Dispose() => Stop();

    public override string ToString() => ApiUrl.ToString();

    private SessionsApi Api
    {
        get
        {
            lock (_gate)
            {
                return _api;
            }
        }
    }

    private (InstanceState, SessionsApi) NewInstance()
    {
        var state = new InstanceState(_options.Seed, _options.Users, _options.SessionsPerUser, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (state, new SessionsApi(state, _keys, Environment == ClerkEmulatorEnvironment.Production, () => DateTimeOffset.UtcNow));
    }

    private async Task<Answer> HandleAsync(RawRequest request, CancellationToken cancellation)
    {
        var route = Route.Find(request.Method, request.Path);
        var query = ParseQuery(request.Query);
        var headerVersion = request.Header("Clerk-API-Version");
        var queryVersion = query.LastOrDefault(pair => pair.Key == "__clerk_api_version").Value;
        var (record, api) = Log(request, route, headerVersion ?? queryVersion);
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellation).ConfigureAwait(false);
        }

        var fault = TakeFault(route?.Operation, request.Path);
        record.Fault = fault?.Kind;
        Answer answer;
        switch (fault?.Kind)
        {
            case null:
                answer = Serve(request, route, query, headerVersion, queryVersion, record, api);
                break;
            case EmulatorFaultKind.Slow:
                await Task.Delay(fault.Delay, cancellation).ConfigureAwait(false);
                answer = Serve(request, route, query, headerVersion, queryVersion, record, api);
                break;
            case EmulatorFaultKind.TruncatedBody:
                answer = Serve(request, route, query, headerVersion, queryVersion, record, api).Truncated();
                break;
            default:
                answer = FaultAnswer(fault);
                break;
        }

        record.StatusCode = answer.Drop ? 0 : answer.Status;
        return answer;
    }

    /// <summary>
    /// Logs a request as it arrives, so a test sees one still being answered (StatusCode 0 until then). Numbered under
    /// the lock Reset takes, so a reset log starts again at 1 and holds nothing from before it; for the same reason a
    /// request is served by the instance it arrived at, so one still being answered (Slow) cannot change the reset one.
    /// </summary>
    private (EmulatorRequest Record, SessionsApi Api) Log(RawRequest request, Route? route, string? apiVersion)
    {
        var filter = _options.RequestLogFilter ?? (text => text);
        var body = filter(Encoding.UTF8.GetString(request.Body, 0, Math.Min(request.Body.Length, MaxKeptBodyBytes)));
        var path = filter(request.Path);
        var query = filter(request.Query);
        lock (_gate)
        {
            var record = new EmulatorRequest(++_sequence, DateTimeOffset.UtcNow, request.Method, path, query, route?.Operation, apiVersion, body);
            _requests.Enqueue(record);
            while (_requests.Count > MaxKeptRequests && _requests.TryDequeue(out _))
            {
            }

            return (record, _api);
        }
    }

    /// <summary>Clerk's own answer: the key, the version and the rate limit checked, then the endpoint.</summary>
    private Answer Serve(RawRequest request, Route? route, List<KeyValuePair<string, string>> query, string? headerVersion, string? queryVersion, EmulatorRequest record, SessionsApi api)
    {
        var authorization = request.Header("Authorization");
        if (authorization is null)
        {
            return Errors.InvalidAuthentication();
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Errors.InvalidAuthorizationHeader();
        }

        if (!Secrets.FixedTimeEquals(Secrets.Hash(authorization.Substring("Bearer ".Length).Trim()), _keyHash))
        {
            return Errors.InvalidAuthentication();
        }

        record.KeyAccepted = true;
        if (headerVersion is not null && queryVersion is not null)
        {
            return Errors.InvalidApiVersion("set the version in the Clerk-API-Version header or the __clerk_api_version query parameter, not both");
        }

        var version = headerVersion ?? queryVersion;
        if (version is not null && !SupportedApiVersions.Contains(version))
        {
            return Errors.InvalidApiVersion($"{version} is not a supported version");
        }

        if (route is null)
        {
            return Errors.UrlNotFound();
        }

        TimeSpan? wait;
        lock (_gate)
        {
            // GET /jwks is not rate limited: SDKs fetch it to verify tokens.
            wait = route.Operation == "GetJWKS" ? null : _rateLimit.TryAcquire();
        }

        if (wait is TimeSpan retryAfter)
        {
            return Errors.TooManyRequests(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        query.RemoveAll(pair => pair.Key == "__clerk_api_version");
        return api.Handle(route, query, request.Body);
    }

    private static Answer FaultAnswer(EmulatorFault fault) => fault.Kind switch
    {
        EmulatorFaultKind.RateLimited => Errors.TooManyRequests(fault.RetryAfterFormat switch
        {
            RetryAfterFormat.Seconds => fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            RetryAfterFormat.HttpDate => DateTime.UtcNow.AddSeconds(fault.RetryAfterSeconds).ToString("r", CultureInfo.InvariantCulture),
            _ => null,
        }),
        EmulatorFaultKind.Status => Errors.ForStatus(fault.StatusCode ?? 500),
        EmulatorFaultKind.HtmlPage => HtmlErrorPage(fault.StatusCode ?? 502),
        EmulatorFaultKind.DropConnection => Answer.Dropped(),
        EmulatorFaultKind.MalformedJson => Answer.Text(fault.StatusCode ?? 200, "{\"object\":\"session\",\"id\":\"sess_", "application/json"),
        _ => new Answer(fault.StatusCode ?? 200, Array.Empty<byte>()),
    };

    /// <summary>The page a proxy in front of Clerk (Cloudflare) answers when Clerk cannot.</summary>
    private static Answer HtmlErrorPage(int status)
    {
        var title = status.ToString(CultureInfo.InvariantCulture) + " " + LoopbackHttpServer.ReasonPhrase(status);
        return Answer.Text(status, $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n", "text/html");
    }

    private EmulatorFault? TakeFault(string? operation, string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(candidate =>
                (candidate.Operation is not { Length: > 0 } || (operation is not null && candidate.Operation.Contains(operation, StringComparer.OrdinalIgnoreCase)))
                && (candidate.Path is null || WildcardMatch(candidate.Path, path)));
            if (fault is not null && --fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private static bool WildcardMatch(string pattern, string path) =>
        Regex.IsMatch(path, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);

    private static List<KeyValuePair<string, string>> ParseQuery(string query) =>
        query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var equals = part.IndexOf('=');
                var name = equals < 0 ? part : part.Substring(0, equals);
                var value = equals < 0 ? string.Empty : part.Substring(equals + 1);
                return new KeyValuePair<string, string>(Unescape(name), Unescape(value));
            })
            .ToList();

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
