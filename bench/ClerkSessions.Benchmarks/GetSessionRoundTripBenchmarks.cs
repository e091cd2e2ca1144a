using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ClerkSessions.Core;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Models;
using ClerkSessions.Emulator;

namespace ClerkSessions.Benchmarks;

/// <summary>
/// One <c>GET /sessions/{id}</c> against an in-process emulator on loopback (no latency, no rate limit): through
/// ClerkSessionsClient and its whole handler chain (retry, authentication, logging as the module configures it with
/// its verbose stream off, the socket handler), next to the same request from a bare HttpClient. The ratio to the
/// baseline is what the client stack adds; the emulator's own cost is in every row. A second client passes its rate
/// gate (a limit far above what the benchmark reaches, so it never waits): the gate's cost on every request.
/// </summary>
[MemoryDiagnoser]
public class GetSessionRoundTripBenchmarks
{
    private const string SecretKey = "sk_live_benchmark0000wxyz";
    private ClerkEmulator? _emulator;
    private ClerkSecretKey? _clientKey;
    private ClerkSessionsClient? _client;
    private ClerkSessionsClient? _pacedClient;
    private HttpClient? _raw;
    private string _sessionId = "";
    private Uri? _sessionUrl;

    [GlobalSetup]
    public void Setup()
    {
        using var secret = new SecureString();
        foreach (var character in SecretKey)
        {
            secret.AppendChar(character);
        }

        _emulator = ClerkEmulator.Start(new ClerkEmulatorOptions { RateLimit = 0, Users = 1, SessionsPerUser = 2, SecretKey = secret });
        _raw = new HttpClient { BaseAddress = _emulator.ApiUrl };
        _raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecretKey);
        _raw.DefaultRequestHeaders.Add("Clerk-API-Version", ClerkClientOptions.DefaultApiVersion);

        var list = _raw.GetByteArrayAsync($"sessions?user_id={_emulator.UserIds[0]}&status=active").GetAwaiter().GetResult();
        _sessionId = JsonSerializer.Deserialize(list, ClerkJsonContext.Default.ListClerkSession)![0].Id;
        _sessionUrl = new Uri(_emulator.ApiUrl, "sessions/" + _sessionId);

        _clientKey = ClerkSecretKey.FromPlainText(SecretKey);
        _client = new ClerkSessionsClient(_clientKey, new ClerkClientOptions
        {
            BaseUrl = _emulator.ApiUrl,
            HostDescription = "Benchmark",
            Log = new SilentLog(),

            // Unpaced, like the emulator: this measures the client's stack, not the rate limit.
            RateLimit = 0,
        });
        _pacedClient = new ClerkSessionsClient(_clientKey, new ClerkClientOptions
        {
            BaseUrl = _emulator.ApiUrl,
            HostDescription = "Benchmark",
            Log = new SilentLog(),
            RateLimit = 1_000_000,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _pacedClient?.Dispose();
        _clientKey?.Dispose();
        _raw?.Dispose();
        _emulator?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "HttpClient GET, body as bytes")]
    public async Task<int> RawBytes()
    {
        using var response = await _raw!.GetAsync(_sessionUrl).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return body.Length;
    }

    [Benchmark(Description = "HttpClient GET + source-generated read")]
    public async Task<ClerkSession?> RawAndDeserialize()
    {
        using var response = await _raw!.GetAsync(_sessionUrl).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, ClerkJsonContext.Default.ClerkSession);
    }

    [Benchmark(Description = "ClerkSessionsClient.GetSessionAsync")]
    public Task<ClerkSession> Client() => _client!.GetSessionAsync(_sessionId);

    [Benchmark(Description = "ClerkSessionsClient.GetSessionAsync through its rate gate")]
    public Task<ClerkSession> PacedClient() => _pacedClient!.GetSessionAsync(_sessionId);

    /// <summary>What ClerkLogRouter is when no -Verbose/-Debug is asked for: every level off.</summary>
    private sealed class SilentLog : IClerkLogSink
    {
        public bool IsEnabled(ClerkLogLevel level) => false;

        public void Write(ClerkLogLevel level, string message)
        {
        }
    }
}
