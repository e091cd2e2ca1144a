using System.Collections.Concurrent;
using ClerkSessions.Core;
using ClerkSessions.TestServer;

namespace ClerkSessions.Tests.Core;

/// <summary>A recorded-response server on loopback and a client connected to it, for one test.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string SecretKey = "sk_test_recorded0000wxyz";
    public const string RejectedKey = "sk_test_rejected0000abcd";
    public const string ActiveSession = "sess_active_0001";
    public const string RevokedSession = "sess_revoked_0001";
    public const string MissingSession = "sess_missing_0001";

    private Harness(RecordedResponseServer server, ClerkSecretKey key, ClerkSessionsClient client, CapturingLog log, ConcurrentQueue<TimeSpan> delays)
    {
        Server = server;
        Key = key;
        Client = client;
        Log = log;
        Delays = delays;
    }

    public RecordedResponseServer Server { get; }
    public ClerkSecretKey Key { get; }
    public ClerkSessionsClient Client { get; }
    public CapturingLog Log { get; }

    /// <summary>Every wait the retry handler asked for; the waits themselves are skipped.</summary>
    public ConcurrentQueue<TimeSpan> Delays { get; }

    public static string RecordingsDirectory => Path.Combine(AppContext.BaseDirectory, "recordings");

    public static async Task<Harness> StartAsync(Action<ClerkClientOptions>? configure = null, string secretKey = SecretKey, bool realDelays = false)
    {
        var server = await RecordedResponseServer.StartAsync(RecordingsDirectory);
        var log = new CapturingLog();
        var delays = new ConcurrentQueue<TimeSpan>();
        var options = new ClerkClientOptions { BaseUrl = server.BaseUrl, Log = log, HostDescription = "xunit/2.9" };
        if (!realDelays)
        {
            SkipWaits(options, delays);
        }

        configure?.Invoke(options);
        var key = ClerkSecretKey.FromPlainText(secretKey);
        return new Harness(server, key, new ClerkSessionsClient(key, options), log, delays);
    }

    public ReceivedRequest SingleRequest() => Assert.Single(Server.Requests);

    /// <summary>Makes the retry handler record each wait in <paramref name="delays"/> instead of spending it.</summary>
    public static void SkipWaits(ClerkClientOptions options, ConcurrentQueue<TimeSpan> delays) =>
        options.Delay = (delay, cancellationToken) =>
        {
            delays.Enqueue(delay);
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };

    /// <summary>Completes <paramref name="waiting"/> as each retry wait begins, then spends the wait as before.</summary>
    public static void SignalWaits(ClerkClientOptions options, TaskCompletionSource waiting)
    {
        var spend = options.Delay;
        options.Delay = (delay, cancellationToken) =>
        {
            waiting.TrySetResult();
            return spend(delay, cancellationToken);
        };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Key.Dispose();
        await Server.DisposeAsync();
    }
}

internal sealed class CapturingLog : IClerkLogSink
{
    private readonly ConcurrentQueue<(ClerkLogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(ClerkLogLevel Level, string Message)> Lines => _lines.ToArray();

    public IEnumerable<string> Messages(ClerkLogLevel level) => Lines.Where(line => line.Level == level).Select(line => line.Message);

    public string All => string.Join(Environment.NewLine, Lines.Select(line => line.Message));

    public bool IsEnabled(ClerkLogLevel level) => true;

    public void Write(ClerkLogLevel level, string message) => _lines.Enqueue((level, message));
}
