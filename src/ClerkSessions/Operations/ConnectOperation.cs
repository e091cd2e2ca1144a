using System.Management.Automation;
using System.Security;
using ClerkSessions.Connections;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary><c>Connect-Clerk</c>: checks the key's shape, builds the one client, makes it the runspace's current connection.</summary>
public static class ConnectOperation
{
    /// <summary>
    /// Connects with <paramref name="secretKey"/> (else <c>$env:CLERK_SECRET_KEY</c>); <paramref name="configure"/>
    /// sets what the caller chose on the client options, over the environment's and the defaults.
    /// </summary>
    public static ClerkConnection Connect(ICommandHost host, ConnectionStore store, SecureString? secretKey, Uri? apiUrl, Action<ClerkClientOptions>? configure, bool handedOut)
    {
        var options = ConnectionStore.OptionsFromEnvironment(host, apiUrl);
        configure?.Invoke(options);
        var (key, source) = secretKey is null ? (ConnectionStore.KeyFromEnvironment(host), ConnectionStore.EnvironmentSource) : (FromParameter(secretKey), "Connect-Clerk");
        var connection = ClerkConnection.Open(key, source, options);
        store.MakeCurrent(connection, handedOut);
        host.WriteVerbose($"Connected to {connection.ApiUrl} (API version {connection.ApiVersion}) with {connection.MaskedSecretKey} ({connection.Environment}); requests paced at {connection.RateLimit}.");
        return connection;
    }

    private static ClerkSecretKey FromParameter(SecureString secretKey)
    {
        try
        {
            return ClerkSecretKey.FromSecureString(secretKey);
        }
        catch (ClerkInvalidArgumentException exception)
        {
            throw new CommandTerminatingException(new CommandError(exception, "ClerkSecretKeyInvalid", ErrorCategory.InvalidArgument, "SecretKey")
            {
                Details = exception.Message,
            });
        }
    }
}

/// <summary><c>Disconnect-Clerk</c>: closes the current connection (or the one given), optionally shows what was closed.</summary>
public static class DisconnectOperation
{
    public static void Disconnect(ICommandHost host, ConnectionStore store, ClerkConnection? connection, bool passThru)
    {
        // A connection closed elsewhere (or already) is not one to report: the runspace is simply not connected.
        var candidate = connection ?? store.Current;
        var closed = candidate is { IsClosed: false } ? candidate : null;
        if (connection is null)
        {
            store.Disconnect();
        }
        else
        {
            connection.Dispose();
        }

        if (closed is null)
        {
            host.WriteVerbose(connection is null ? "Not connected to Clerk." : "That connection was already closed.");
            return;
        }

        host.WriteVerbose($"Disconnected from {closed.ApiUrl} ({closed.MaskedSecretKey}); the secret key is forgotten.");
        if (passThru)
        {
            host.WriteObject(closed);
        }
    }
}
