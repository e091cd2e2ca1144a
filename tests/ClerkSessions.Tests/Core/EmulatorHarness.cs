using System.Collections.Concurrent;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>
/// An emulated Clerk (rate limit off, see <see cref="EmulatorHost"/>) and a client connected to it, for one test of
/// how the client behaves when Clerk misbehaves: the faults come from <see cref="ClerkEmulator.AddFault"/>. The
/// counterpart of <see cref="Harness"/>, which answers from the recordings.
/// </summary>
internal sealed class EmulatorHarness : IDisposable
{
    private EmulatorHarness(EmulatorHost host, string activeSession, ClerkSecretKey key, ClerkSessionsClient client, CapturingLog log, ConcurrentQueue<TimeSpan> delays)
    {
        Host = host;
        ActiveSession = activeSession;
        Key = key;
        Client = client;
        Log = log;
        Delays = delays;
        host.EndSetup();
    }

    public EmulatorHost Host { get; }
    public ClerkEmulator Emulator => Host.Emulator;
    public ClerkSecretKey Key { get; }
    public ClerkSessionsClient Client { get; }
    public CapturingLog Log { get; }

    /// <summary>Every wait the retry handler asked for; the waits themselves are skipped unless the test asked for real ones.</summary>
    public ConcurrentQueue<TimeSpan> Delays { get; }

    /// <summary>A seeded active session of <see cref="UserId"/>.</summary>
    public string ActiveSession { get; }

    /// <summary>The first seeded user.</summary>
    public string UserId => Host.UserIds[0];

    /// <summary>What the client sent, oldest first: the emulator's log without the look-ups the harness made to find the seeded ids.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => Host.RequestsSinceSetup;

    public static async Task<EmulatorHarness> StartAsync(Action<ClerkClientOptions>? configure = null, bool realDelays = false)
    {
        var host = EmulatorHost.Start();
        try
        {
            // Looked up with the host's own HttpClient, so the client under test starts with no pooled connection.
            var activeSession = await host.SessionIdAsync();
            var log = new CapturingLog();
            var delays = new ConcurrentQueue<TimeSpan>();
            var options = new ClerkClientOptions { BaseUrl = host.Emulator.ApiUrl, Log = log, HostDescription = "xunit/2.9" };
            if (!realDelays)
            {
                Harness.SkipWaits(options, delays);
            }

            configure?.Invoke(options);
            var key = ClerkSecretKey.FromPlainText(host.Key);
            return new EmulatorHarness(host, activeSession, key, new ClerkSessionsClient(key, options), log, delays);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>What a browser signed in to <paramref name="sessionId"/> sends to refresh its expired token.</summary>
    public SessionRefreshRequest RefreshRequest(string sessionId)
    {
        var (expiredToken, refreshToken, origin) = Host.BrowserTokens(sessionId);
        return new SessionRefreshRequest(expiredToken, refreshToken, origin);
    }

    public void Dispose()
    {
        Client.Dispose();
        Key.Dispose();
        Host.Dispose();
    }
}
