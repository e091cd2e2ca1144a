using System.Diagnostics;
using ClerkSessions.Core;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Operations;

/// <summary>The one mechanism behind every command's calls: in flight up to a limit, handed back on the pipeline thread.</summary>
public sealed class CallsInFlightTests
{
    [Fact]
    public void Log_lines_are_written_while_the_call_runs_and_on_the_calling_thread()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host);
        var firstLineWritten = false;

        var result = calls.Run(async cancellationToken =>
        {
            ClerkLogRouter.Instance.Write(ClerkLogLevel.Verbose, "waiting for Clerk");
            ClerkLogRouter.Instance.Write(ClerkLogLevel.Debug, "headers");
            await Task.Run(() => firstLineWritten = SpinWait.SpinUntil(() => host.Verbose.Count == 1, TimeSpan.FromSeconds(10)), cancellationToken);
            return 42;
        });

        Assert.Equal(42, result);
        Assert.True(firstLineWritten, "the line reached the host only after the call ended");
        Assert.Equal(new[] { "waiting for Clerk" }, host.Verbose);
        Assert.Empty(host.Debug);
        Assert.Empty(host.OffThreadWrites);
    }

    [Fact]
    public void The_router_sends_lines_only_to_the_command_whose_call_wrote_them()
    {
        using var first = new RecordingHost();
        using var second = new RecordingHost();
        using var firstCalls = new CallsInFlight(first);
        using var secondCalls = new CallsInFlight(second);

        firstCalls.Run(async _ =>
        {
            await Task.Yield();
            secondCalls.Run(async _ =>
            {
                await Task.Yield();
                ClerkLogRouter.Instance.Write(ClerkLogLevel.Verbose, "inner");
                return 0;
            });
            ClerkLogRouter.Instance.Write(ClerkLogLevel.Verbose, "outer");
            return 0;
        });

        Assert.Equal(new[] { "outer" }, first.Verbose);
        Assert.Equal(new[] { "inner" }, second.Verbose);
        ClerkLogRouter.Instance.Write(ClerkLogLevel.Verbose, "nobody listening");
        Assert.False(ClerkLogRouter.Instance.IsEnabled(ClerkLogLevel.Verbose));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void No_more_than_the_limit_run_at_once_and_every_result_is_handed_back_once(int limit)
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host, limit);
        var running = 0;
        var mostRunning = 0;

        for (var index = 0; index < 40; index++)
        {
            var value = index;
            calls.Start(
                async _ =>
                {
                    var now = Interlocked.Increment(ref running);
                    InterlockedMax(ref mostRunning, now);
                    await Task.Delay(Random.Shared.Next(1, 8));
                    Interlocked.Decrement(ref running);
                    return value;
                },
                value => host.WriteObject(value),
                exception => throw exception);
            Assert.True(calls.Running <= limit);
        }

        calls.WaitAll();

        Assert.Equal(Enumerable.Range(0, 40), host.ObjectsOf<int>().OrderBy(value => value));
        Assert.Equal(limit, mostRunning);
        Assert.Equal(0, calls.Running);
        Assert.Empty(host.OffThreadWrites);
    }

    [Fact]
    public void In_order_hands_results_back_in_the_order_started_whatever_order_they_complete_in()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host, limit: 3, inOrder: true);
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        for (var index = 0; index < 3; index++)
        {
            var gate = gates[index];
            calls.Start(_ => gate.Task, value => host.WriteObject(value), exception => throw exception);
        }

        gates[2].SetResult(2);
        gates[1].SetResult(1);
        SpinWait.SpinUntil(() => false, 50);
        calls.HandBack();
        Assert.Empty(host.Objects);

        gates[0].SetResult(0);
        calls.WaitAll();
        Assert.Equal(new object[] { 0, 1, 2 }, host.Objects);
    }

    [Fact]
    public void Without_order_results_are_handed_back_as_they_complete()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host, limit: 2);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Start(_ => slow.Task, value => host.WriteObject(value), exception => throw exception);
        calls.Start(_ => Task.FromResult(1), value => host.WriteObject(value), exception => throw exception);

        Assert.True(SpinWait.SpinUntil(() => { calls.HandBack(); return host.Objects.Count == 1; }, TimeSpan.FromSeconds(10)));
        slow.SetResult(0);
        calls.WaitAll();

        Assert.Equal(new object[] { 1, 0 }, host.Objects);
    }

    [Fact]
    public void A_failure_goes_to_its_handler_and_the_other_calls_complete()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host, limit: 3);
        var failures = new List<Exception>();
        calls.Start<int>(_ => throw new InvalidOperationException("at once"), value => host.WriteObject(value), failures.Add);
        calls.Start(async _ =>
        {
            await Task.Yield();
            throw new TimeoutException("later");
#pragma warning disable CS0162 // The lambda must be a Task<int>.
            return 0;
#pragma warning restore CS0162
        }, value => host.WriteObject(value), failures.Add);
        calls.Start(_ => Task.FromResult(7), value => host.WriteObject(value), failures.Add);
        calls.WaitAll();

        Assert.Equal(new object[] { 7 }, host.Objects);
        Assert.Equal(new[] { "at once", "later" }, failures.Select(failure => failure.Message).OrderBy(message => message));
    }

    [Fact]
    public void Posts_from_running_work_are_written_in_order_before_its_result()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host);
        calls.Start(
            async _ =>
            {
                for (var page = 1; page <= 3; page++)
                {
                    await Task.Yield();
                    var number = page;
                    calls.Post(() => host.WriteObject($"page {number}"));
                }

                return "done";
            },
            value => host.WriteObject(value),
            exception => throw exception);
        calls.WaitAll();

        Assert.Equal(new object[] { "page 1", "page 2", "page 3", "done" }, host.Objects);
        Assert.Empty(host.OffThreadWrites);
    }

    [Fact]
    public void Ctrl_C_ends_the_wait_within_a_second_and_cancels_every_call_in_flight()
    {
        using var host = new RecordingHost();
        using var calls = new CallsInFlight(host, limit: 5);
        var cancelled = 0;
        for (var index = 0; index < 5; index++)
        {
            calls.Start(
                async cancellationToken =>
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    finally
                    {
                        Interlocked.Increment(ref cancelled);
                    }

                    return 0;
                },
                value => host.WriteObject(value),
                exception => throw exception);
        }

        var clock = Stopwatch.StartNew();
        _ = Task.Run(async () =>
        {
            await Task.Delay(100);
            host.Stop();
        });

        Assert.ThrowsAny<OperationCanceledException>(calls.WaitAll);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.1), $"stopping took {clock.Elapsed}");
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref cancelled) == 5, TimeSpan.FromSeconds(1)), "not every call was cancelled");
        Assert.Empty(host.Objects);
    }

    [Fact]
    public void Ending_the_command_early_cancels_what_is_still_running()
    {
        using var host = new RecordingHost();
        var calls = new CallsInFlight(host, limit: 2);
        CancellationToken seen = default;
        calls.Start(
            async cancellationToken =>
            {
                seen = cancellationToken;
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            },
            value => host.WriteObject(value),
            exception => throw exception);

        calls.Dispose();

        Assert.True(seen.IsCancellationRequested);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
