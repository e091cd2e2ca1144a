using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>
/// Clerk's per-instance rate limit as the emulator applies it: a bucket of N requests per window, refilled evenly,
/// 429 with Retry-After past it, GET /jwks exempt. Timing is only ever bounded generously, never pinned.
/// </summary>
public sealed class RateLimitTests
{
    private static Task<HttpResponseMessage> ListAsync(EmulatorHost host) => host.Http.GetAsync("sessions?user_id=" + host.UserIds[0]);

    /// <summary>Sends requests one at a time until one is refused: how many went through, and how long that took.</summary>
    private static async Task<(int Accepted, TimeSpan Elapsed, HttpResponseMessage Refusal)> SpendUntilRefusedAsync(EmulatorHost host, int atMost)
    {
        var clock = Stopwatch.StartNew();
        for (var accepted = 0; accepted < atMost; accepted++)
        {
            var response = await ListAsync(host);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                return (accepted, clock.Elapsed, response);
            }

            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException($"{atMost} requests in {clock.Elapsed} were all accepted");
    }

    /// <summary>
    /// The most requests a bucket of <paramref name="limit"/> per <paramref name="window"/> can accept in <paramref name="elapsed"/>:
    /// the full bucket, the refill due in that time, and one more refill step (the bucket refills in up to 100 steps a window).
    /// </summary>
    private static int MostAccepted(int limit, TimeSpan window, TimeSpan elapsed) => limit + (int)Math.Ceiling(limit * (elapsed / window)) + Math.Max(1, limit / 100);

    private static int RetryAfterSeconds(HttpResponseMessage response)
    {
        var text = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds), $"Retry-After: {text} is not whole seconds");
        return seconds;
    }

    [Fact]
    public async Task A_limit_of_N_lets_N_requests_through_then_answers_429_too_many_requests_with_Retry_After_in_whole_seconds()
    {
        using var host = EmulatorHost.Start(options => (options.RateLimit, options.RateLimitWindow) = (3, TimeSpan.FromMinutes(1)));

        var accepted = new List<HttpStatusCode>();
        for (var index = 0; index < 3; index++)
        {
            using var response = await ListAsync(host);
            accepted.Add(response.StatusCode);
        }

        using var refused = await ListAsync(host);
        using var again = await ListAsync(host);

        Assert.All(accepted, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("too_many_requests", EmulatorHost.ErrorCode(await EmulatorHost.ReadJsonAsync(refused)));
        Assert.InRange(RetryAfterSeconds(refused), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(new[] { 200, 200, 200, 429, 429 }, host.Emulator.GetRequests().Select(request => request.StatusCode));
    }

    [Fact]
    public async Task Jwks_is_not_rate_limited_and_does_not_spend_the_limit()
    {
        using var host = EmulatorHost.Start(options => (options.RateLimit, options.RateLimitWindow) = (2, TimeSpan.FromHours(1)));

        var jwks = new List<HttpStatusCode>();
        for (var index = 0; index < 10; index++)
        {
            using var response = await host.Http.GetAsync("jwks");
            jwks.Add(response.StatusCode);
        }

        using var first = await ListAsync(host);
        using var second = await ListAsync(host);
        using var refused = await ListAsync(host);
        using var jwksAfter = await host.Http.GetAsync("jwks");

        Assert.All(jwks, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jwksAfter.StatusCode);
    }

    [Fact]
    public async Task Requests_refused_for_their_key_do_not_spend_the_limit()
    {
        using var host = EmulatorHost.Start(options => (options.RateLimit, options.RateLimitWindow) = (2, TimeSpan.FromHours(1)));
        using var anonymous = host.Anonymous();

        for (var index = 0; index < 5; index++)
        {
            using var response = await anonymous.GetAsync("sessions?user_id=" + host.UserIds[0]);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var first = await ListAsync(host);
        using var second = await ListAsync(host);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task A_limit_of_0_is_off()
    {
        using var host = EmulatorHost.Start(options => options.RateLimit = 0);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var seen = new List<HttpStatusCode>();
            for (var index = 0; index < 75; index++)
            {
                using var response = await ListAsync(host);
                seen.Add(response.StatusCode);
            }

            return seen;
        }));

        Assert.Equal(0, host.Emulator.RateLimit);
        Assert.Equal(300, statuses.Sum(seen => seen.Count));
        Assert.All(statuses.SelectMany(seen => seen), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Theory]
    [InlineData(ClerkEmulatorEnvironment.Development, 100)]
    [InlineData(ClerkEmulatorEnvironment.Production, 1000)]
    public async Task The_default_is_Clerks_limit_for_the_environment_per_10_seconds(ClerkEmulatorEnvironment environment, int limit)
    {
        using var host = EmulatorHost.Start(options => (options.Environment, options.RateLimit) = (environment, null));

        var (accepted, elapsed, refusal) = await SpendUntilRefusedAsync(host, atMost: limit * 5);

        Assert.Equal(limit, host.Emulator.RateLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), host.Emulator.RateLimitWindow);
        Assert.StartsWith(environment == ClerkEmulatorEnvironment.Production ? "sk_live_" : "sk_test_", host.Key, StringComparison.Ordinal);
        Assert.InRange(accepted, limit, MostAccepted(limit, TimeSpan.FromSeconds(10), elapsed));
        Assert.InRange(RetryAfterSeconds(refusal), 1, 10);
    }

    [Theory]
    [InlineData("sk_live_givenkey0001", ClerkEmulatorEnvironment.Development, ClerkEmulatorEnvironment.Production, 1000)]
    [InlineData("sk_test_givenkey0001", ClerkEmulatorEnvironment.Production, ClerkEmulatorEnvironment.Development, 100)]
    public void A_given_key_decides_the_environment_and_so_the_default_limit(string key, ClerkEmulatorEnvironment asked, ClerkEmulatorEnvironment expected, int limit)
    {
        using var host = EmulatorHost.Start(options => (options.SecretKey, options.Environment, options.RateLimit) = (EmulatorHost.Secure(key), asked, null));

        Assert.Equal(expected, host.Emulator.Environment);
        Assert.Equal(limit, host.Emulator.RateLimit);
        Assert.Equal(key, host.Key);
    }

    [Fact]
    public async Task The_bucket_refills_over_its_window()
    {
        var window = TimeSpan.FromSeconds(1);
        using var host = EmulatorHost.Start(options => (options.RateLimit, options.RateLimitWindow) = (5, window));

        var (accepted, elapsed, refusal) = await SpendUntilRefusedAsync(host, atMost: 100);
        Assert.InRange(accepted, 5, MostAccepted(5, window, elapsed));
        Assert.Equal(1, RetryAfterSeconds(refusal));

        // Two and a half windows: the bucket is full again however late its refill timer runs.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var afterwards = new List<HttpStatusCode>();
        for (var index = 0; index < 5; index++)
        {
            using var response = await ListAsync(host);
            afterwards.Add(response.StatusCode);
        }

        Assert.All(afterwards, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task SetRateLimit_replaces_the_bucket_and_Reset_refills_it_keeping_the_setting()
    {
        using var host = EmulatorHost.Start();
        host.Emulator.SetRateLimit(2, TimeSpan.FromHours(1));

        var spent = new[] { (await ListAsync(host)).StatusCode, (await ListAsync(host)).StatusCode, (await ListAsync(host)).StatusCode };
        host.Emulator.Reset();
        var afterReset = new[] { (await ListAsync(host)).StatusCode, (await ListAsync(host)).StatusCode, (await ListAsync(host)).StatusCode };
        host.Emulator.SetRateLimit(0, TimeSpan.FromHours(1));
        var off = (await ListAsync(host)).StatusCode;

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }, spent);
        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }, afterReset);
        Assert.Equal(HttpStatusCode.OK, off);
        Assert.Equal(0, host.Emulator.RateLimit);
    }

    [Fact]
    public void A_negative_limit_or_an_empty_window_is_refused()
    {
        using var host = EmulatorHost.Start();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Emulator.SetRateLimit(-1, TimeSpan.FromSeconds(10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Emulator.SetRateLimit(5, TimeSpan.Zero));
        Assert.Equal(0, host.Emulator.RateLimit);
    }
}
