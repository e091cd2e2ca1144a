using System.Globalization;
using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Commands;

/// <summary>
/// One connection to a Clerk instance: the secret key and the one client (and HttpClient) every cmdlet uses until
/// <c>Disconnect-Clerk</c>. What it shows is safe to print: the key appears only masked.
/// </summary>
public sealed class ClerkConnection : IDisposable
{
    internal ClerkConnection(ClerkSecretKey key, ClerkSessionsClient client, string source)
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
    public int MaxRetries => Client.Options.MaxRetries;

    /// <summary>Where the key came from: <c>Connect-Clerk</c> or <c>$env:CLERK_SECRET_KEY</c>.</summary>
    public string Source { get; }

    public DateTimeOffset ConnectedAt { get; }

    internal ClerkSecretKey Key { get; }
    internal ClerkSessionsClient Client { get; }

    /// <summary>The instance's public keys (GET /jwks), fetched once and kept for every token this connection verifies.</summary>
    internal JwksKeySource SigningKeys { get; }

    public void Dispose()
    {
        Client.Dispose();
        Key.Dispose();
    }

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2}, {3})", ApiUrl, ApiVersion, Environment, MaskedSecretKey);
}

/// <summary>How a connection talks to Clerk; unset values keep the client's defaults.</summary>
public class ConnectionOptions
{
    public Uri? ApiUrl { get; set; }
    public string? ApiVersion { get; set; }
    public int? TimeoutSec { get; set; }
    public int? MaxRetries { get; set; }

    /// <summary>Takes every value <paramref name="other"/> sets.</summary>
    public void OverrideWith(ConnectionOptions other)
    {
        ApiUrl = other.ApiUrl ?? ApiUrl;
        ApiVersion = other.ApiVersion ?? ApiVersion;
        TimeoutSec = other.TimeoutSec ?? TimeoutSec;
        MaxRetries = other.MaxRetries ?? MaxRetries;
    }

    internal void ApplyTo(ClerkClientOptions options)
    {
        options.BaseUrl = ApiUrl ?? options.BaseUrl;
        options.ApiVersion = ApiVersion ?? options.ApiVersion;
        options.AttemptTimeout = TimeoutSec is int timeout ? TimeSpan.FromSeconds(timeout) : options.AttemptTimeout;
        options.MaxRetries = MaxRetries ?? options.MaxRetries;
    }
}

/// <summary>A key, where it came from, and the options to connect with.</summary>
public sealed class ConnectionSettings : ConnectionOptions
{
    public ConnectionSettings(ClerkSecretKey secretKey, string source)
    {
        SecretKey = secretKey;
        Source = source;
    }

    public ClerkSecretKey SecretKey { get; }
    public string Source { get; }
    public string? HostDescription { get; set; }

    /// <summary>Lets tests shorten waits; the cmdlets never set it.</summary>
    internal Action<ClerkClientOptions>? Configure { get; set; }
}

/// <summary>The module's one current connection, shared by every cmdlet in the process (as Graph's session is).</summary>
public sealed class ConnectionStore
{
    public const string SecretKeyVariable = "CLERK_SECRET_KEY";
    public const string ApiUrlVariable = "CLERK_API_URL";
    public const string EnvironmentSource = "$env:" + SecretKeyVariable;

    private readonly object _gate = new();
    private ClerkConnection? _current;

    public static ConnectionStore Default { get; } = new();

    public ClerkConnection? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Builds the client and makes it current; the previous connection, if any, is disposed.</summary>
    public ClerkConnection Connect(ConnectionSettings settings)
    {
        var options = new ClerkClientOptions { Log = ClerkLogRouter.Instance, HostDescription = settings.HostDescription };
        settings.ApplyTo(options);
        settings.Configure?.Invoke(options);
        ClerkSessionsClient client;
        try
        {
            client = new ClerkSessionsClient(settings.SecretKey, options);
        }
        catch (ArgumentException exception)
        {
            settings.SecretKey.Dispose();
            throw new CommandTerminatingException(new CommandError(exception, "ClerkConnectionSettingsInvalid", ErrorCategory.InvalidArgument, exception.ParamName)
            {
                Details = exception.Message,
            });
        }

        var connection = new ClerkConnection(settings.SecretKey, client, settings.Source);
        ClerkConnection? previous;
        lock (_gate)
        {
            previous = _current;
            _current = connection;
        }

        previous?.Dispose();
        return connection;
    }

    /// <summary>Forgets the key and disposes the client; returns the closed connection, or null when there was none.</summary>
    public ClerkConnection? Disconnect()
    {
        ClerkConnection? previous;
        lock (_gate)
        {
            previous = _current;
            _current = null;
        }

        previous?.Dispose();
        return previous;
    }

    /// <summary>
    /// The current connection or, when there is none, one made from <c>$env:CLERK_SECRET_KEY</c> (and
    /// <c>$env:CLERK_API_URL</c>). With neither, a terminating error that says what to do.
    /// </summary>
    public ClerkConnection GetOrConnect(ICommandHost host)
    {
        if (Current is ClerkConnection current)
        {
            return current;
        }

        var settings = FromEnvironment(host);
        host.WriteVerbose($"Connecting to Clerk with {EnvironmentSource} ({settings.SecretKey.Masked}).");
        return Connect(settings);
    }

    /// <summary>Settings from the environment variables; a terminating error that says what to do without a key.</summary>
    public static ConnectionSettings FromEnvironment(ICommandHost host)
    {
        var text = host.GetEnvironmentVariable(SecretKeyVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CommandTerminatingException(CommandErrors.Terminating(
                "ClerkNotConnected",
                ErrorCategory.AuthenticationError,
                $"Not connected to Clerk. Run Connect-Clerk -SecretKey (Read-Host -AsSecureString 'Clerk secret key'), or set {EnvironmentSource} to the instance's secret key (sk_test_… or sk_live_…).",
                recommendedAction: "Connect-Clerk -SecretKey (Read-Host -AsSecureString 'Clerk secret key')"));
        }

        ClerkSecretKey key;
        try
        {
            key = ClerkSecretKey.FromPlainText(text!.Trim());
        }
        catch (ArgumentException exception)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkSecretKeyInvalid", ErrorCategory.InvalidArgument, SecretKeyVariable)
            {
                Details = $"{EnvironmentSource} does not hold a usable key: {exception.Message}",
            });
        }

        var settings = new ConnectionSettings(key, EnvironmentSource) { HostDescription = host.HostDescription };
        try
        {
            settings.ApiUrl = FromEnvironmentUrl(host);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return settings;
    }

    /// <summary><c>$env:CLERK_API_URL</c>, when set.</summary>
    public static Uri? FromEnvironmentUrl(ICommandHost host)
    {
        var url = host.GetEnvironmentVariable(ApiUrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        return Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var apiUrl)
            ? apiUrl
            : throw new CommandTerminatingException(CommandErrors.Terminating(
                "ClerkApiUrlInvalid",
                ErrorCategory.InvalidArgument,
                $"$env:{ApiUrlVariable} is not an absolute URL, e.g. {ClerkClientOptions.DefaultBaseUrl}.",
                ApiUrlVariable));
    }
}
