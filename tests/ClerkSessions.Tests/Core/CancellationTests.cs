using System.Diagnostics;
using ClerkSessions.Core;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Core;

/// <summary>Ctrl+C in a shell cancels the token: every wait and every request in flight must end promptly.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_during_a_Retry_After_wait_ends_the_call_at_once()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var harness = await EmulatorHarness.StartAsync(options => Harness.SignalWaits(options, waiting), realDelays: true);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 25 });
        using var cancellation = new CancellationTokenSource();

        var call = harness.Client.GetSessionAsync(harness.ActiveSession, cancellation.Token);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed} after the cancel");
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task Cancelling_while_Clerk_is_slow_to_answer_ends_the_call_at_once()
    {
        using var harness = await EmulatorHarness.StartAsync(realDelays: true);
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(20) });
        using var cancellation = new CancellationTokenSource();

        var call = harness.Client.RevokeSessionAsync(harness.ActiveSession, cancellation.Token);
        await WhenReceived(() => harness.Requests.Count, 1);
        var clock = Stopwatch.StartNew();
        cancellation.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed} after the cancel");
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task Cancelling_between_pages_asks_for_no_further_page()
    {
        await using var harness = await Harness.StartAsync();
        using var cancellation = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_paged_0001", Limit = 2 }, cancellation.Token))
            {
                if (++seen == 2)
                {
                    cancellation.Cancel();
                }
            }
        });

        Assert.Equal(2, seen);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        await using var harness = await Harness.StartAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Client.GetSessionAsync(Harness.ActiveSession, new CancellationToken(canceled: true)));

        Assert.Empty(harness.Server.Requests);
    }

    private static async Task WhenReceived(Func<int> received, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (received() < count)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the server never received the request");
            await Task.Delay(10);
        }
    }
}
