using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Operations;
using ClerkSessions.Runspaces;

namespace ClerkSessions.Connections;

/// <summary>
/// The current connection of one runspace. Each runspace (a ForEach-Object -Parallel iteration, a thread job, a
/// host's runspace) has its own store, so connecting or disconnecting in one never changes another.
/// </summary>
public sealed class ConnectionStore : IRunspaceResource
{
    public const string SecretKeyVariable = "CLERK_SECRET_KEY";
    public const string ApiUrlVariable = "CLERK_API_URL";
    public const string EnvironmentSource = "$env:" + SecretKeyVariable;

    // A runspace's pipeline thread uses the store; its StateChanged handler may abandon it from another thread.
    private readonly object _gate = new();
    private ClerkConnection? _current;
    private bool _currentHandedOut;

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

    /// <summary>
    /// Makes <paramref name="connection"/> current. The previous one is closed unless it was handed out
    /// (<paramref name="handedOut"/>: written by <c>-PassThru</c>), since a script may still use it with -Connection.
    /// </summary>
    public void MakeCurrent(ClerkConnection connection, bool handedOut) => Replace(connection, handedOut, closeHandedOut: false);

    /// <summary>
    /// Forgets the current connection because its runspace is gone, was reset for reuse or removed the module: it is
    /// closed unless it was handed out, since a script may still use that one elsewhere with -Connection.
    /// </summary>
    public void Abandon() => Replace(null, handedOut: false, closeHandedOut: false);

    /// <summary>Closes the current connection, handed out or not, and forgets it; returns it, or null when there was none.</summary>
    public ClerkConnection? Disconnect() => Replace(null, handedOut: false, closeHandedOut: true);

    private ClerkConnection? Replace(ClerkConnection? next, bool handedOut, bool closeHandedOut)
    {
        ClerkConnection? previous;
        bool previousHandedOut;
        lock (_gate)
        {
            (previous, previousHandedOut) = (_current, _currentHandedOut);
            (_current, _currentHandedOut) = (next, handedOut);
        }

        if (previous is not null && previous != next && (closeHandedOut || !previousHandedOut))
        {
            previous.Dispose();
        }

        return previous;
    }

    /// <summary>
    /// The current connection or, when there is none, one made from <c>$env:CLERK_SECRET_KEY</c> (and
    /// <c>$env:CLERK_API_URL</c>). With neither, a terminating error that says what to do.
    /// </summary>
    public ClerkConnection GetOrConnect(ICommandHost host)
    {
        if (Current is { IsClosed: false } current)
        {
            return current;
        }

        // Closed elsewhere (Disconnect-Clerk -Connection, in this runspace or another): this runspace is not connected.

        var key = KeyFromEnvironment(host);
        host.WriteVerbose($"Connecting to Clerk with {EnvironmentSource} ({key.Masked}).");
        var connection = ClerkConnection.Open(key, EnvironmentSource, OptionsFromEnvironment(host, apiUrl: null));
        MakeCurrent(connection, handedOut: false);
        return connection;
    }

    /// <summary>The key in <c>$env:CLERK_SECRET_KEY</c>; a terminating error that says what to do without one.</summary>
    public static ClerkSecretKey KeyFromEnvironment(ICommandHost host)
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

        try
        {
            return ClerkSecretKey.FromPlainText(text!.Trim());
        }
        catch (ClerkInvalidArgumentException exception)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkSecretKeyInvalid", ErrorCategory.InvalidArgument, SecretKeyVariable)
            {
                Details = $"{EnvironmentSource} does not hold a usable key: {exception.Message}",
            });
        }
    }

    /// <summary>
    /// The client options every connection starts from: this module's log routing and User-Agent, and the API URL
    /// given (else <c>$env:CLERK_API_URL</c>, else Clerk's).
    /// </summary>
    public static ClerkClientOptions OptionsFromEnvironment(ICommandHost host, Uri? apiUrl)
    {
        var options = new ClerkClientOptions { Log = ClerkLogRouter.Instance, HostDescription = host.HostDescription };
        options.BaseUrl = apiUrl ?? ApiUrlFromEnvironment(host) ?? options.BaseUrl;
        return options;
    }

    private static Uri? ApiUrlFromEnvironment(ICommandHost host)
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
