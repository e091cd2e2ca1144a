using System.Globalization;
using System.Management.Automation;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Core;
using ClerkSessions.Operations;

namespace ClerkSessions.Connections;

/// <summary>
/// One connection to a Clerk instance: the secret key and the one client (and HttpClient) its commands use until it
/// is closed. It is the object <c>Connect-Clerk -PassThru</c> writes and <c>-Connection</c> takes, so a script can
/// hold several (one per instance) and a runspace can be handed one. What it shows is safe to print: the key appears
/// only masked.
/// </summary>
public sealed class ClerkConnection : IDisposable
{
    private readonly object _gate = new();
    private int _users;
    private bool _closed;
    private bool _released;

    private ClerkConnection(ClerkSecretKey key, ClerkSessionsClient client, string source)
    {
        Key = key;
        Client = client;
        Source = source;
        ConnectedAt = DateTimeOffset.Now;
        SigningKeys = new JwksKeySource(client.GetJwksAsync);
    }

    public Uri ApiUrl => Client.BaseUrl;
    public string ApiVersion => Client.Options.ApiVersion;

    /// <summary>Development (<c>sk_test_</c>) or Production (<c>sk_live_</c>).</summary>
    public ClerkEnvironment Environment => Key.Environment;

    /// <summary>For example <c>sk_test_…wxyz</c>; the key itself is never shown.</summary>
    public string MaskedSecretKey => Key.Masked;

    public int TimeoutSec => (int)Client.Options.AttemptTimeout.TotalSeconds;

    /// <summary>The pace of every request sent with this connection, e.g. <c>1000 / 10 s</c>.</summary>
    public ClerkRateLimit RateLimit => Client.RateLimit;
    public int MaxRetries => Client.Options.MaxRetries;

    /// <summary>Where the key came from: <c>Connect-Clerk</c> or <c>$env:CLERK_SECRET_KEY</c>.</summary>
    public string Source { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>
    /// True once <c>Disconnect-Clerk</c>, another connection replacing it or the end of its runspace has closed it: no
    /// command can start with it any more, and its key is forgotten when the last command using it ends.
    /// </summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    internal ClerkSecretKey Key { get; }
    internal ClerkSessionsClient Client { get; }

    /// <summary>The instance's public keys (GET /jwks), fetched once and kept for every token this connection verifies.</summary>
    internal JwksKeySource SigningKeys { get; }

    /// <summary>
    /// Builds the client for <paramref name="key"/> with <paramref name="options"/>, which are the one place a
    /// connection's settings live. Settings the client refuses are a terminating error; the key is disposed then.
    /// </summary>
    public static ClerkConnection Open(ClerkSecretKey key, string source, ClerkClientOptions options)
    {
        try
        {
            return new ClerkConnection(key, new ClerkSessionsClient(key, options), source);
        }
        catch (ClerkInvalidArgumentException exception)
        {
            key.Dispose();
            throw new CommandTerminatingException(new CommandError(exception, "ClerkConnectionSettingsInvalid", ErrorCategory.InvalidArgument, exception.ParamName)
            {
                Details = exception.Message,
            });
        }
    }

    /// <summary>
    /// Holds the connection open for one command: closing it meanwhile (another Connect-Clerk down the pipeline,
    /// Disconnect-Clerk in another runspace) lets the command finish, and the key and client are released after it.
    /// Null when the connection is already closed.
    /// </summary>
    public IDisposable? TryUse()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            _users++;
            return new Use(this);
        }
    }

    /// <summary>Closes the connection: at once when no command is using it, else when the last one ends.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
        }

        ReleaseWhenUnused();
    }

    private void EndUse()
    {
        lock (_gate)
        {
            _users--;
        }

        ReleaseWhenUnused();
    }

    private void ReleaseWhenUnused()
    {
        lock (_gate)
        {
            if (!_closed || _users > 0 || _released)
            {
                return;
            }

            _released = true;
        }

        Client.Dispose();
        Key.Dispose();
    }

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2}, {3}{4})", ApiUrl, ApiVersion, Environment, MaskedSecretKey, IsClosed ? ", closed" : "");

    private sealed class Use : IDisposable
    {
        private ClerkConnection? _connection;

        public Use(ClerkConnection connection) => _connection = connection;

        public void Dispose() => Interlocked.Exchange(ref _connection, null)?.EndUse();
    }
}
