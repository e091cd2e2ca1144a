using System.Collections.Concurrent;
using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Core;
using ClerkSessions.Tests.Emulator;

namespace ClerkSessions.Tests.Operations;

/// <summary>
/// <see cref="CommandHarness"/> on an emulated Clerk instead of the recordings: a connection to the emulator in a
/// store of the test's own, and a recording host. Faults come from <see cref="ClerkEmulator.AddFault"/>.
/// </summary>
internal sealed class EmulatorCommandHarness : IDisposable
{
    private EmulatorCommandHarness(EmulatorHost emulatorHost, IReadOnlyList<string> activeSessions, ConnectionStore store, ClerkConnection connection, RecordingHost host)
    {
        EmulatorHost = emulatorHost;
        ActiveSessions = activeSessions;
        Store = store;
        Connection = connection;
        Host = host;
        emulatorHost.EndSetup();
    }

    public EmulatorHost EmulatorHost { get; }
    public ClerkEmulator Emulator => EmulatorHost.Emulator;
    public ConnectionStore Store { get; }
    public ClerkConnection Connection { get; }
    public RecordingHost Host { get; }

    /// <summary>The first seeded user.</summary>
    public string UserId => EmulatorHost.UserIds[0];

    /// <summary>The seeded active sessions of every user, each user's newest first.</summary>
    public IReadOnlyList<string> ActiveSessions { get; }

    /// <summary>What the connection sent, oldest first: the emulator's log without the look-ups the harness made to find the seeded ids.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => EmulatorHost.RequestsSinceSetup;

    /// <summary>Starts an emulator and connects. Retry waits are skipped unless <paramref name="realDelays"/>.</summary>
    public static async Task<EmulatorCommandHarness> StartAsync(bool realDelays = false, Action<ClerkClientOptions>? configure = null)
    {
        var emulatorHost = EmulatorHost.Start();
        try
        {
            // Looked up with the emulator host's own HttpClient: the connection under test starts with no pooled connection.
            var activeSessions = (await emulatorHost.AllSessionsAsync())
                .Where(session => session.GetProperty("status").GetString() == "active")
                .Select(session => session.GetProperty("id").GetString()!)
                .ToList();
            var store = new ConnectionStore();
            var host = new RecordingHost();
            var options = ConnectionStore.OptionsFromEnvironment(host, emulatorHost.Emulator.ApiUrl);
            if (!realDelays)
            {
                Harness.SkipWaits(options, new ConcurrentQueue<TimeSpan>());
            }

            configure?.Invoke(options);
            var connection = ClerkConnection.Open(ClerkSecretKey.FromPlainText(emulatorHost.Key), "test", options);
            store.MakeCurrent(connection, handedOut: false);
            return new EmulatorCommandHarness(emulatorHost, activeSessions, store, connection, host);
        }
        catch
        {
            emulatorHost.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Store.Disconnect();
        Host.Dispose();
        EmulatorHost.Dispose();
    }
}
