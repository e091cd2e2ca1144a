using System.Diagnostics;
using System.Net;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>The emulator serves connections at once: settings changed, resets and a stop during traffic lose no answer.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Changing_the_rate_limit_during_traffic_answers_every_request()
    {
        using var host = EmulatorHost.Start();
        using var stop = new CancellationTokenSource();
        var changing = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A real bucket each time (0 would have none), so requests take permits from buckets being replaced.
                host.Emulator.SetRateLimit(1_000_000, TimeSpan.FromSeconds(1));
            }
        });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var seen = new List<HttpStatusCode>();
            for (var request = 0; request < 40; request++)
            {
                using var response = await host.Http.GetAsync("sessions/sess_none");
                seen.Add(response.StatusCode);
            }

            return seen;
        })));
        stop.Cancel();
        await changing;

        Assert.All(statuses.SelectMany(seen => seen), status => Assert.Equal(HttpStatusCode.NotFound, status));

        // HttpClient resends a request whose connection dropped without an answer: the log shows whether any did.
        var logged = host.Emulator.GetRequests();
        Assert.Equal(16 * 40, logged.Count);
        Assert.All(logged, request => Assert.Equal(404, request.StatusCode));
    }

    [Fact]
    public async Task Resetting_during_traffic_answers_every_request_and_numbers_the_log_afresh()
    {
        using var host = EmulatorHost.Start();
        var user = host.UserIds[0];
        var traffic = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var request = 0; request < 30; request++)
            {
                using var response = await host.Http.GetAsync("sessions?user_id=" + user);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        })));
        while (!traffic.IsCompleted)
        {
            host.Emulator.Reset();
            await Task.Delay(5);
        }

        await traffic;
        host.Emulator.Reset();
        using (await host.Http.GetAsync("sessions?user_id=" + user))
        {
        }

        var logged = Assert.Single(host.Emulator.GetRequests());
        Assert.Equal(1, logged.Sequence);
    }

    [Fact]
    public async Task A_revoke_still_being_answered_when_the_emulator_is_reset_leaves_the_reset_instance_alone()
    {
        using var host = EmulatorHost.Start();
        var session = await host.SessionIdAsync();
        host.Emulator.Reset();
        host.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromMilliseconds(500), Operation = new[] { "RevokeSession" } });
        var revoking = host.PostJsonAsync($"sessions/{session}/revoke");
        while (host.Emulator.GetRequests().Count == 0)
        {
            await Task.Delay(10);
        }

        host.Emulator.Reset();
        var (revokeStatus, revoked) = await revoking;
        var (status, now) = await host.GetJsonAsync("sessions/" + session);

        // The answer is the instance's it arrived at; the instance seeded afresh still holds the session active.
        Assert.Equal((HttpStatusCode.OK, "revoked"), (revokeStatus, revoked.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "active"), (status, now.GetProperty("status").GetString()));
        Assert.Equal(1, Assert.Single(host.Emulator.GetRequests()).Sequence);
    }

    [Fact]
    public async Task A_slow_answer_on_one_connection_does_not_hold_up_another()
    {
        using var host = EmulatorHost.Start();
        host.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(3), Path = "/v1/sessions/sess_slow" });
        using var slowClient = host.FreshClient();
        var slow = slowClient.GetAsync("sessions/sess_slow");
        await Task.Delay(200);

        var clock = Stopwatch.StartNew();
        using (var quick = await host.Http.GetAsync("sessions/sess_quick"))
        {
            Assert.Equal(HttpStatusCode.NotFound, quick.StatusCode);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the quick answer took {clock.Elapsed}");
        Assert.False(slow.IsCompleted);
        using var slowAnswer = await slow;
        Assert.Equal(HttpStatusCode.NotFound, slowAnswer.StatusCode);
    }

    [Fact]
    public async Task Stopping_during_traffic_ends_every_call_and_returns()
    {
        var host = EmulatorHost.Start();
        using var traffic = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var client = host.FreshClient();
            client.Timeout = TimeSpan.FromSeconds(10);
            while (!traffic.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("sessions/sess_none");
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        })).ToArray();
        await Task.Delay(300);

        var clock = Stopwatch.StartNew();
        host.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Stop took {clock.Elapsed}");
        Assert.False(host.Emulator.IsRunning);

        var ended = Task.WhenAll(clients);
        Assert.Same(ended, await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(15))));
        traffic.Cancel();
    }
}
