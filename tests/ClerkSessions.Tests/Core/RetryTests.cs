using System.Net;
using System.Net.Sockets;
using ClerkSessions.Core;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>Faults from the emulator, and what the retry handler does about each.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task A_429_is_retried_after_exactly_the_seconds_in_Retry_After()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 7 });

        var session = await harness.Client.GetSessionAsync(harness.ActiveSession);

        Assert.Equal(harness.ActiveSession, session.Id);
        Assert.Equal(2, harness.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(harness.Delays));
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("HTTP 429") && line.Contains("retry 1 of 4"));
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("(attempt 2) -> 200"));
    }

    [Fact]
    public async Task A_429_Retry_After_given_as_an_http_date_is_honoured()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 20, RetryAfterFormat = RetryAfterFormat.HttpDate });

        await harness.Client.GetSessionAsync(harness.ActiveSession);

        var delay = Assert.Single(harness.Delays);
        Assert.InRange(delay, TimeSpan.FromSeconds(17), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_ends_the_call_with_the_wait_Clerk_asked_for()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetryAfter = TimeSpan.FromSeconds(10));
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 120 });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync(harness.ActiveSession));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Contains("retry after 120 s", error.Message);
        Assert.Empty(harness.Delays);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task A_429_that_never_ends_gives_up_after_MaxRetries()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetries = 2);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 1, Count = 4 });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync(harness.ActiveSession));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("too_many_requests", error.Code);
        Assert.Equal(3, harness.Requests.Count);
        Assert.Equal(2, harness.Delays.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_on_a_read_are_retried_with_growing_backoff(int status)
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.InitialBackoff = TimeSpan.FromSeconds(1);
            options.MaxBackoff = TimeSpan.FromSeconds(3);
        });
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = status, Count = 3 });

        await harness.Client.GetSessionAsync(harness.ActiveSession);

        var delays = harness.Delays.ToArray();
        Assert.Equal(3, delays.Length);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        Assert.Equal(4, harness.Requests.Count);
    }

    [Fact]
    public async Task Revoke_is_safe_to_repeat_and_is_retried()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503 });

        var session = await harness.Client.RevokeSessionAsync(harness.ActiveSession);

        Assert.Equal("revoked", session.Status);
        Assert.Equal(2, harness.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_that_outlasts_the_retries_carries_how_many_attempts_were_made()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetries = 4);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 500, Count = 5 });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.RevokeSessionAsync(harness.ActiveSession));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal(5, error.Attempts);
        Assert.Equal(5, harness.Requests.Count);
    }

    [Theory]
    [InlineData("CreateSession")]
    [InlineData("CreateSessionToken")]
    [InlineData("RefreshSession")]
    public async Task Calls_that_are_not_safe_to_repeat_are_not_repeated_after_a_server_error_or_429(string operation)
    {
        using var harness = await EmulatorHarness.StartAsync();
        var refresh = harness.RefreshRequest(harness.ActiveSession);
        Task Call() => operation switch
        {
            "CreateSession" => harness.Client.CreateSessionAsync(harness.UserId),
            "CreateSessionToken" => harness.Client.CreateSessionTokenAsync(harness.ActiveSession),
            _ => harness.Client.RefreshSessionAsync(harness.ActiveSession, refresh),
        };
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503 });

        var error = await Assert.ThrowsAsync<ClerkApiException>(Call);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 1 });
        var limited = await Assert.ThrowsAsync<ClerkApiException>(Call);

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.RetryAfter);
        Assert.Equal(2, harness.Requests.Count);
        Assert.All(harness.Requests, request => Assert.Equal(operation, request.Operation, ignoreCase: true));
        Assert.Empty(harness.Delays);
    }

    // The emulator resets the connection once it has read the request. .NET's SocketsHttpHandler then sends a GET
    // again by itself, up to three more times, before the client's RetryHandler sees a failure: a dropped read the
    // client notices (one failed attempt) takes 4 dropped requests. A request that changes something is never resent so.
    private const int DropsPerFailedRead = 4;

    [Fact]
    public async Task A_dropped_connection_on_a_read_is_retried()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection, Count = DropsPerFailedRead });

        var session = await harness.Client.GetSessionAsync(harness.ActiveSession);

        Assert.Equal(harness.ActiveSession, session.Id);

        // Two attempts: the first one's requests all dropped, then the retry answered.
        Assert.Equal(Enumerable.Repeat(0, DropsPerFailedRead).Append(200), harness.Requests.Select(request => request.StatusCode));
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("(attempt 2) -> 200"));
    }

    [Fact]
    public async Task A_dropped_connection_on_token_creation_is_not_repeated_since_the_token_may_exist()
    {
        using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection, Count = DropsPerFailedRead });

        var error = await Assert.ThrowsAsync<ClerkConnectionException>(() => harness.Client.CreateSessionTokenAsync(harness.ActiveSession));

        Assert.Equal(1, error.Attempts);
        Assert.False(error.TimedOut);
        Assert.Equal(ClerkOperation.CreateSessionToken, error.Operation);

        // One attempt, one request: the socket handler did not send it again on its own.
        var request = Assert.Single(harness.Requests);
        Assert.Equal(0, request.StatusCode);
        Assert.Equal(DropsPerFailedRead - 1, Assert.Single(harness.Emulator.PendingFaults).Remaining);
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("not repeated"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_revoke_whose_connection_drops_reaches_Clerk_once_per_attempt_the_policy_allows(int maxRetries)
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetries = maxRetries);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection, Count = 10, Operation = new[] { "RevokeSession" } });

        var error = await Assert.ThrowsAsync<ClerkConnectionException>(() => harness.Client.RevokeSessionAsync(harness.ActiveSession));

        Assert.Equal(maxRetries + 1, error.Attempts);
        Assert.Equal(maxRetries + 1, harness.Requests.Count);
        Assert.All(harness.Requests, request => Assert.Equal((0, (EmulatorFaultKind?)EmulatorFaultKind.DropConnection), (request.StatusCode, request.Fault)));
        Assert.Equal(maxRetries, harness.Delays.Count);
    }

    [Fact]
    public async Task A_refused_connection_never_reached_Clerk_so_even_a_create_is_retried_until_the_attempts_run_out()
    {
        var closedPort = ClosedLoopbackPort();
        await using var harness = await Harness.StartAsync(options =>
        {
            options.BaseUrl = new Uri($"http://127.0.0.1:{closedPort}/v1/");
            options.MaxRetries = 2;
        });

        var error = await Assert.ThrowsAsync<ClerkConnectionException>(() => harness.Client.CreateSessionAsync("user_0001"));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(2, harness.Delays.Count);
        Assert.Contains("connection", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_slow_answer_times_out_the_attempt_and_a_read_is_retried()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.AttemptTimeout = TimeSpan.FromSeconds(1));
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(20) });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var session = await harness.Client.GetSessionAsync(harness.ActiveSession);

        Assert.Equal(harness.ActiveSession, session.Id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(2, harness.Requests.Count);
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("no answer within 1.0 s"));
    }

    [Fact]
    public async Task Every_attempt_timing_out_gives_a_ClerkConnectionException_marked_as_timed_out()
    {
        using var harness = await EmulatorHarness.StartAsync(options =>
        {
            options.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            options.MaxRetries = 1;
        });
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(5), Count = 2 });

        var error = await Assert.ThrowsAsync<ClerkConnectionException>(() => harness.Client.GetSessionAsync(harness.ActiveSession));

        Assert.True(error.TimedOut);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(harness.ActiveSession, error.SessionId);
    }

    [Fact]
    public async Task The_total_retry_budget_bounds_the_call()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetryDuration = TimeSpan.FromSeconds(10));
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 6, Count = 2 });

        var error = await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync(harness.ActiveSession));

        Assert.Equal(429, error.StatusCode);

        // The first 6 s wait fits the 10 s budget; a second one would make 12 s, so the call ends instead.
        Assert.Equal(2, harness.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(6), Assert.Single(harness.Delays));
        Assert.Contains(harness.Log.Messages(ClerkLogLevel.Verbose), line => line.Contains("retry budget"));
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
