using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>Starting and stopping: the address, the key, checked options, latency, what Stop does to open connections.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void The_API_root_is_on_loopback_under_v1_and_the_key_is_a_copy()
    {
        using var host = EmulatorHost.Start();

        host.Emulator.SecretKey.Dispose();

        Assert.Equal(new Uri($"http://127.0.0.1:{host.Emulator.Port}/v1/"), host.Emulator.ApiUrl);
        Assert.NotEqual(0, host.Emulator.Port);
        Assert.Equal(host.Key, EmulatorHost.Reveal(host.Emulator.SecretKey));
        Assert.Matches("^sk_test_[0-9a-z]+$", host.Key);
        Assert.DoesNotContain(host.Key, host.Emulator.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_start_makes_a_new_key()
    {
        using var first = EmulatorHost.Start();
        using var second = EmulatorHost.Start();

        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(first.Emulator.Port, second.Emulator.Port);
    }

    [Theory]
    [InlineData("pk_test_notasecretkey")]
    [InlineData("sk_other_key")]
    public void A_key_that_is_not_sk_test_or_sk_live_is_refused(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { SecretKey = EmulatorHost.Secure(key) }));

        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused_before_anything_starts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { Port = 70000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { Users = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { Users = 10_000, SessionsPerUser = 1_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { Latency = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClerkEmulator.Start(new ClerkEmulatorOptions { RateLimit = -1 }));
    }

    [Fact]
    public async Task Latency_delays_every_answer_until_set_back_to_zero()
    {
        using var host = EmulatorHost.Start(options => options.Latency = TimeSpan.FromMilliseconds(400));

        var slow = Stopwatch.StartNew();
        using (var response = await host.Http.GetAsync("jwks"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        slow.Stop();
        host.Emulator.SetLatency(TimeSpan.Zero);

        Assert.True(slow.Elapsed >= TimeSpan.FromMilliseconds(350), $"answered after {slow.Elapsed}");
        Assert.Equal(TimeSpan.Zero, host.Emulator.Latency);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Emulator.SetLatency(TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public async Task Stop_closes_open_connections_and_the_port()
    {
        var host = EmulatorHost.Start();
        using var connection = await RawConnection.OpenAsync(host.Emulator.Port);
        await connection.SendAsync(RawConnection.Get("/v1/jwks", host.Key));
        Assert.Equal(200, (await connection.ReadResponseAsync()).Status);

        host.Dispose();
        host.Emulator.Stop();

        Assert.False(host.Emulator.IsRunning);
        Assert.True(await connection.ClosedByServerAsync());
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, host.Emulator.Port));
    }

    [Fact]
    public async Task Stop_while_clients_are_closing_their_connections_does_not_throw()
    {
        // Stop resets every open connection while each connection's own task may be closing it: a race that once threw.
        for (var round = 0; round < 20; round++)
        {
            using var host = EmulatorHost.Start();
            var connections = new List<RawConnection>();
            for (var index = 0; index < 8; index++)
            {
                var connection = await RawConnection.OpenAsync(host.Emulator.Port);
                await connection.SendAsync(RawConnection.Get("/v1/jwks", host.Key));
                Assert.Equal(200, (await connection.ReadResponseAsync()).Status);
                connections.Add(connection);
            }

            connections.ForEach(connection => connection.Dispose());
            var stop = Record.Exception(host.Emulator.Stop);

            Assert.Null(stop);
            Assert.False(host.Emulator.IsRunning);
        }
    }
}
