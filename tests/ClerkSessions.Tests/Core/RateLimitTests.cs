using System.Diagnostics;
using ClerkSessions.Core;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>The connection's one rate gate: Clerk's limit by key, never over it in any window, paused whole by a 429.</summary>
public sealed class RateLimitTests
{
    [Theory]
    [InlineData("sk_test_", 100)]
    [InlineData("sk_live_", 1000)]
    public void The_limit_is_Clerks_for_the_keys_environment_unless_set(string prefix, int expected)
    {
        using var key = ClerkSecretKey.FromPlainText(prefix + "ratelimit0000wxyz");
        using var byKey = new ClerkSessionsClient(key);
        using var set = new ClerkSessionsClient(key, new ClerkClientOptions { RateLimit = 7, RateLimitWindow = TimeSpan.FromSeconds(3) });

        Assert.Equal(expected, byKey.RateLimit.Limit);
        Assert.Equal(TimeSpan.FromSeconds(10), byKey.RateLimit.Window);
        Assert.Equal($"{expected} / 10 s", byKey.RateLimit.ToString());
        Assert.Equal("7 / 3 s", set.RateLimit.ToString());
    }

    [Fact]
    public void The_clients_defaults_are_the_emulators_instance_limits()
    {
        Assert.Equal(ClerkEmulatorOptions.DevelopmentRateLimit, ClerkRateLimit.For(ClerkEnvironment.Development).Limit);
        Assert.Equal(ClerkEmulatorOptions.ProductionRateLimit, ClerkRateLimit.For(ClerkEnvironment.Production).Limit);
        Assert.Equal(new ClerkEmulatorOptions().RateLimitWindow, ClerkRateLimit.ClerkWindow);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(10, 0)]
    [InlineData(10, 3601)]
    public void Impossible_limits_are_refused_when_the_client_is_built(int limit, int windowSeconds)
    {
        using var key = ClerkSecretKey.FromPlainText(Harness.SecretKey);
        var options = new ClerkClientOptions { RateLimit = limit, RateLimitWindow = TimeSpan.FromSeconds(windowSeconds) };

        var refused = Assert.ThrowsAny<ArgumentException>(() => new ClerkSessionsClient(key, options));
        Assert.Contains(refused.ParamName, new[] { nameof(ClerkClientOptions.RateLimit), nameof(ClerkClientOptions.RateLimitWindow) });
    }

    [Fact]
    public async Task No_window_ever_holds_more_requests_than_the_limit()
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.RateLimit = 5;
            options.RateLimitWindow = TimeSpan.FromSeconds(1);
        });

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => harness.Client.GetSessionAsync(harness.ActiveSession)));
        clock.Stop();

        // Any 6 requests in a row (one more than the limit) span the window; arrivals, not sends, so a busy machine's
        // scheduling may take up to 5% off.
        var arrivals = harness.Requests.Select(request => request.ReceivedAt).OrderBy(time => time).ToList();
        Assert.Equal(16, arrivals.Count);
        for (var index = 5; index < arrivals.Count; index++)
        {
            Assert.True(arrivals[index] - arrivals[index - 5] >= TimeSpan.FromMilliseconds(950), $"requests {index - 5} and {index} arrived {arrivals[index] - arrivals[index - 5]} apart");
        }

        // 16 requests at 5 per second: three windows of waiting, not much more.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Off_does_not_pace()
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.RateLimit = 0;
            options.RateLimitWindow = TimeSpan.FromSeconds(60);
        });

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => harness.Client.GetSessionAsync(harness.ActiveSession)));

        Assert.Equal(30, harness.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(harness.Client.RateLimit.IsOff);
    }

    [Fact]
    public async Task The_signing_keys_are_not_paced_as_Clerk_does_not_rate_limit_them()
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.RateLimit = 1;
            options.RateLimitWindow = TimeSpan.FromSeconds(60);
        });

        await harness.Client.GetSessionAsync(harness.ActiveSession);
        var clock = Stopwatch.StartNew();
        await harness.Client.GetJwksAsync();
        await harness.Client.GetJwksAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"GET /jwks waited {clock.Elapsed} for the rate limit");
    }

    [Fact]
    public async Task A_429_pauses_every_request_of_the_connection_until_its_Retry_After()
    {
        using var harness = await EmulatorHarness.StartAsync(realDelays: true, configure: options => options.RateLimit = 0);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 2, Operation = new[] { "RevokeSession" } });

        var revoke = harness.Client.RevokeSessionAsync(harness.ActiveSession);
        Assert.True(SpinWait.SpinUntil(() => harness.Log.Messages(ClerkLogLevel.Verbose).Any(line => line.Contains("every request of this connection waits", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)));
        var limited = harness.Requests.Single(request => request.StatusCode == 429).ReceivedAt;
        var other = await harness.Client.GetSessionAsync(harness.ActiveSession);
        await revoke;

        // The other call, started during the pause, was sent only after it: not just the limited call waited.
        var get = harness.Requests.Single(request => request.Method == "GET");
        Assert.True(get.ReceivedAt - limited >= TimeSpan.FromSeconds(1.9), $"the get went out {get.ReceivedAt - limited} after the 429");
        Assert.Equal(harness.ActiveSession, other.Id);
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("HTTP 429; retry 1 of 4 in 2.0 s; every request of this connection waits 2.0 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_on_a_call_that_is_not_repeated_still_pauses_the_connection()
    {
        using var harness = await EmulatorHarness.StartAsync(realDelays: true, configure: options => options.RateLimit = 0);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 2, Operation = new[] { "CreateSessionToken" } });

        var refused = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.CreateSessionTokenAsync(harness.ActiveSession));
        Assert.Equal(429, refused.StatusCode);
        var clock = Stopwatch.StartNew();
        await harness.Client.GetSessionAsync(harness.ActiveSession);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"the next call waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task Ctrl_C_ends_a_wait_for_the_rate_limit_at_once()
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.RateLimit = 1;
            options.RateLimitWindow = TimeSpan.FromSeconds(60);
        });
        await harness.Client.GetSessionAsync(harness.ActiveSession);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var pressed = Stopwatch.StartNew();
        stop.Token.Register(pressed.Restart);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Client.GetSessionAsync(harness.ActiveSession, stop.Token));

        Assert.True(pressed.Elapsed < TimeSpan.FromSeconds(1), $"cancelling took {pressed.Elapsed}");
        Assert.Single(harness.Requests);
    }
}
