using System.Net;
using System.Net.Sockets;
using ClerkSessions.Core;
using ClerkSessions.Core.Http;

namespace ClerkSessions.Tests.Core;

/// <summary>The retry rules on their own, without a server.</summary>
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(new ClerkClientOptions
    {
        MaxRetries = 3,
        MaxRetryAfter = TimeSpan.FromSeconds(30),
        MaxRetryDuration = TimeSpan.FromSeconds(60),
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(4),
    });

    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(422)]
    [InlineData(501)]
    public void Answers_that_repeating_cannot_change_are_final(int status)
    {
        var decision = Policy.Decide(retrySafe: true, attempt: 1, status, retryAfter: null, AttemptFailure.None, TimeSpan.Zero);

        Assert.False(decision.Retry);
        Assert.Null(decision.Reason);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Transient_answers_are_retried_only_when_safe(int status)
    {
        Assert.True(Policy.Decide(true, 1, status, null, AttemptFailure.None, TimeSpan.Zero).Retry);
        Assert.False(Policy.Decide(false, 1, status, null, AttemptFailure.None, TimeSpan.Zero).Retry);
    }

    [Fact]
    public void A_request_that_never_left_is_retried_even_when_unsafe_but_a_timeout_or_broken_connection_is_not()
    {
        Assert.True(Policy.Decide(false, 1, null, null, AttemptFailure.NotSent, TimeSpan.Zero).Retry);
        Assert.False(Policy.Decide(false, 1, null, null, AttemptFailure.Timeout, TimeSpan.Zero).Retry);
        Assert.False(Policy.Decide(false, 1, null, null, AttemptFailure.Network, TimeSpan.Zero).Retry);
        Assert.True(Policy.Decide(true, 1, null, null, AttemptFailure.Timeout, TimeSpan.Zero).Retry);
    }

    [Fact]
    public void Attempts_are_bounded_by_MaxRetries()
    {
        Assert.True(Policy.Decide(true, 3, 503, null, AttemptFailure.None, TimeSpan.Zero).Retry);
        var last = Policy.Decide(true, 4, 503, null, AttemptFailure.None, TimeSpan.Zero);
        Assert.False(last.Retry);
        Assert.Contains("gave up after 4 attempts", last.Reason);
    }

    [Fact]
    public void Retry_After_sets_the_wait_for_429_and_a_floor_for_503()
    {
        Assert.Equal(TimeSpan.FromSeconds(12), Policy.Decide(true, 1, 429, TimeSpan.FromSeconds(12), AttemptFailure.None, TimeSpan.Zero).Delay);
        Assert.Equal(TimeSpan.FromSeconds(0), Policy.Decide(true, 1, 429, TimeSpan.Zero, AttemptFailure.None, TimeSpan.Zero).Delay);
        Assert.Equal(TimeSpan.FromSeconds(9), Policy.Decide(true, 1, 503, TimeSpan.FromSeconds(9), AttemptFailure.None, TimeSpan.Zero).Delay);
        Assert.False(Policy.Decide(true, 1, 429, TimeSpan.FromSeconds(31), AttemptFailure.None, TimeSpan.Zero).Retry);
    }

    [Fact]
    public void The_total_budget_is_never_exceeded()
    {
        Assert.True(Policy.Decide(true, 1, 429, TimeSpan.FromSeconds(20), AttemptFailure.None, TimeSpan.FromSeconds(40)).Retry);
        Assert.False(Policy.Decide(true, 1, 429, TimeSpan.FromSeconds(21), AttemptFailure.None, TimeSpan.FromSeconds(40)).Retry);
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_is_capped()
    {
        for (var trial = 0; trial < 200; trial++)
        {
            Assert.InRange(Policy.Backoff(1), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
            Assert.InRange(Policy.Backoff(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
            Assert.InRange(Policy.Backoff(3), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
            Assert.InRange(Policy.Backoff(30), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        }

        var spread = Enumerable.Range(0, 50).Select(_ => Policy.Backoff(3)).Distinct().Count();
        Assert.True(spread > 10, "jitter should spread the waits");
    }

    [Fact]
    public void Connection_refused_and_unknown_host_mean_the_request_was_never_sent()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException("reset", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)));

        Assert.Equal(AttemptFailure.NotSent, RetryPolicy.Classify(refused, timedOut: false));
        Assert.Equal(AttemptFailure.NotSent, RetryPolicy.Classify(new HttpRequestException("dns", new SocketException((int)SocketError.HostNotFound)), false));
        Assert.Equal(AttemptFailure.Network, RetryPolicy.Classify(reset, false));
        Assert.Equal(AttemptFailure.Timeout, RetryPolicy.Classify(refused, timedOut: true));
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "15");
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(42).ToString("R"));
        using var past = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        past.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(-42).ToString("R"));
        using var garbage = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        garbage.Headers.TryAddWithoutValidation("Retry-After", "soon");

        Assert.Equal(TimeSpan.FromSeconds(15), RetryPolicy.RetryAfter(seconds, now));
        Assert.Equal(TimeSpan.FromSeconds(42), RetryPolicy.RetryAfter(date, now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.RetryAfter(past, now));
        Assert.Null(RetryPolicy.RetryAfter(garbage, now));
    }
}
