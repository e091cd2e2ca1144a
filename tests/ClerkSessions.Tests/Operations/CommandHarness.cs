using System.Collections.Concurrent;
using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.TestServer;
using ClerkSessions.Tests.Core;

namespace ClerkSessions.Tests.Operations;

/// <summary>
/// A recorded-response server, a connection to it in a store of the test's own (never the module's shared one),
/// and a recording host: what a cmdlet would have, minus the engine.
/// </summary>
internal sealed class CommandHarness : IAsyncDisposable
{
    private CommandHarness(RecordedResponseServer server, ConnectionStore store, ClerkConnection connection, RecordingHost host)
    {
        Server = server;
        Store = store;
        Connection = connection;
        Host = host;
    }

    public RecordedResponseServer Server { get; }
    public ConnectionStore Store { get; }
    public ClerkConnection Connection { get; }
    public RecordingHost Host { get; }

    public IReadOnlyList<ReceivedRequest> Requests => Server.Requests;

    public IEnumerable<ReceivedRequest> RequestsTo(string method, string pathSuffix) =>
        Server.Requests.Where(request => request.Method == method && request.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    /// <summary>Starts the server and connects. Retry waits are skipped unless <paramref name="realDelays"/>.</summary>
    public static async Task<CommandHarness> StartAsync(string secretKey = Harness.SecretKey, bool realDelays = false, Action<ClerkClientOptions>? configure = null)
    {
        var server = await RecordedResponseServer.StartAsync(Harness.RecordingsDirectory);
        var store = new ConnectionStore();
        var host = new RecordingHost();
        var options = ConnectionStore.OptionsFromEnvironment(host, server.BaseUrl);
        if (!realDelays)
        {
            Harness.SkipWaits(options, new ConcurrentQueue<TimeSpan>());
        }

        configure?.Invoke(options);

        var connection = ClerkConnection.Open(ClerkSecretKey.FromPlainText(secretKey), "test", options);
        store.MakeCurrent(connection, handedOut: false);
        return new CommandHarness(server, store, connection, host);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Disconnect();
        Host.Dispose();
        await Server.DisposeAsync();
    }
}
