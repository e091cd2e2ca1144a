using System.Management.Automation;
using System.Security;
using ClerkSessions.Core;

namespace ClerkSessions.Commands;

/// <summary>What <c>Connect-Clerk</c> was given; nulls fall back to the environment, then to the defaults.</summary>
public sealed class ConnectRequest : ConnectionOptions
{
    public SecureString? SecretKey { get; set; }
}

/// <summary><c>Connect-Clerk</c>: checks the key's shape, builds the one client, makes it current.</summary>
public sealed class ConnectOperation
{
    private readonly ICommandHost _host;
    private readonly ConnectionStore _store;

    public ConnectOperation(ICommandHost host, ConnectionStore? store = null)
    {
        _host = host;
        _store = store ?? ConnectionStore.Default;
    }

    public ClerkConnection Connect(ConnectRequest request)
    {
        ConnectionSettings settings;
        if (request.SecretKey is null)
        {
            settings = ConnectionStore.FromEnvironment(_host);
        }
        else
        {
            var environmentUrl = request.ApiUrl is null ? ConnectionStore.FromEnvironmentUrl(_host) : null;
            ClerkSecretKey key;
            try
            {
                key = ClerkSecretKey.FromSecureString(request.SecretKey);
            }
            catch (ArgumentException exception)
            {
                throw new CommandTerminatingException(new CommandError(exception, "ClerkSecretKeyInvalid", ErrorCategory.InvalidArgument, "SecretKey")
                {
                    Details = exception.Message,
                });
            }

            settings = new ConnectionSettings(key, "Connect-Clerk") { HostDescription = _host.HostDescription };
            settings.ApiUrl = environmentUrl;
        }

        settings.OverrideWith(request);

        var connection = _store.Connect(settings);
        _host.WriteVerbose($"Connected to {connection.ApiUrl} (API version {connection.ApiVersion}) with {connection.MaskedSecretKey} ({connection.Environment}).");
        return connection;
    }
}

/// <summary><c>Disconnect-Clerk</c>: forgets the key, disposes the client, optionally shows what was closed.</summary>
public static class DisconnectOperation
{
    public static void Disconnect(ICommandHost host, ConnectionStore store, bool passThru)
    {
        var closed = store.Disconnect();
        if (closed is null)
        {
            host.WriteVerbose("Not connected to Clerk.");
            return;
        }

        host.WriteVerbose($"Disconnected from {closed.ApiUrl} ({closed.MaskedSecretKey}); the secret key is forgotten.");
        if (passThru)
        {
            host.WriteObject(closed);
        }
    }
}
