using System.Net;
using System.Text.Json;
using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

/// <summary>The seeded instance and its state: deterministic ids in Clerk's shape, every status, newest first, revoke, create, Reset.</summary>
public sealed class SeedingTests
{
    private static readonly string[] EveryStatus = { "active", "revoked", "ended", "expired", "removed", "abandoned", "replaced", "pending" };

    private static async Task<List<string>> MembersAsync(EmulatorHost host, string member) =>
        (await host.AllSessionsAsync()).Select(session => session.GetProperty(member).GetString()!).ToList();

    private static string Id(JsonElement session) => session.GetProperty("id").GetString()!;

    [Fact]
    public async Task The_same_seed_gives_the_same_users_sessions_clients_and_statuses()
    {
        using var first = EmulatorHost.Start(options => options.Seed = 42);
        using var second = EmulatorHost.Start(options => options.Seed = 42);

        Assert.Equal(first.UserIds, second.UserIds);
        foreach (var member in new[] { "id", "client_id", "status" })
        {
            Assert.Equal(await MembersAsync(first, member), await MembersAsync(second, member));
        }

        Assert.Equal(42, first.Emulator.Seed);
    }

    [Fact]
    public async Task A_different_seed_gives_different_ids()
    {
        using var first = EmulatorHost.Start(options => options.Seed = 1);
        using var second = EmulatorHost.Start(options => options.Seed = 2);

        Assert.Empty(first.UserIds.Intersect(second.UserIds));
        Assert.Empty((await MembersAsync(first, "id")).Intersect(await MembersAsync(second, "id")));
        Assert.Empty((await MembersAsync(first, "client_id")).Intersect(await MembersAsync(second, "client_id")));
    }

    [Fact]
    public async Task Ids_have_Clerks_shape_and_are_unique()
    {
        using var host = EmulatorHost.Start();
        var (_, created) = await host.PostJsonAsync("sessions", JsonSerializer.Serialize(new { user_id = host.UserIds[0] }));
        var sessions = await host.AllSessionsAsync();

        Assert.All(host.UserIds, id => Assert.Matches("^user_2[0-9A-Za-z]{26}$", id));
        Assert.All(sessions, session => Assert.Matches("^sess_2[0-9A-Za-z]{26}$", Id(session)));
        Assert.All(sessions, session => Assert.Matches("^client_2[0-9A-Za-z]{26}$", session.GetProperty("client_id").GetString()));
        Assert.Matches("^sess_2[0-9A-Za-z]{26}$", Id(created));
        Assert.Matches("^client_2[0-9A-Za-z]{26}$", created.GetProperty("client_id").GetString());
        Assert.Equal(sessions.Count, sessions.Select(Id).Distinct().Count());
        Assert.Equal(host.UserIds.Count, host.UserIds.Distinct().Count());
    }

    [Fact]
    public async Task The_default_instance_has_3_users_of_6_sessions_holding_every_status()
    {
        using var host = EmulatorHost.Start();

        var perUser = new List<List<JsonElement>>();
        foreach (var user in host.UserIds)
        {
            perUser.Add(await host.SessionsOfAsync(user));
        }

        Assert.Equal(3, host.UserIds.Count);
        Assert.All(perUser, sessions => Assert.Equal(6, sessions.Count));
        Assert.All(perUser, sessions => Assert.Contains(sessions, session => session.GetProperty("status").GetString() == "active"));
        Assert.Equal(EveryStatus.Order(), perUser.SelectMany(sessions => sessions).Select(session => session.GetProperty("status").GetString()!).Distinct().Order());
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    [InlineData(0, 6)]
    public async Task The_sizes_follow_the_options(int users, int sessionsPerUser)
    {
        using var host = EmulatorHost.Start(options => (options.Users, options.SessionsPerUser) = (users, sessionsPerUser));

        Assert.Equal(users, host.UserIds.Count);
        Assert.Equal(sessionsPerUser, host.Emulator.SessionsPerUser);
        Assert.Equal(users * sessionsPerUser, (await host.AllSessionsAsync()).Count);
    }

    [Fact]
    public async Task Lists_are_newest_first_with_and_without_filters()
    {
        using var host = EmulatorHost.Start(options => options.SessionsPerUser = 12);
        var (_, created) = await host.PostJsonAsync("sessions", JsonSerializer.Serialize(new { user_id = host.UserIds[0] }));
        var client = (await host.SessionsOfAsync(host.UserIds[1]))[0].GetProperty("client_id").GetString();

        var lists = new List<List<JsonElement>> { await host.SessionsOfAsync(host.UserIds[0]), await host.SessionsOfAsync(host.UserIds[2]) };
        foreach (var target in new[] { $"sessions?user_id={host.UserIds[1]}&status=active", $"sessions?client_id={client}" })
        {
            var (_, body) = await host.GetJsonAsync(target);
            lists.Add(body.EnumerateArray().ToList());
        }

        Assert.Equal(Id(created), Id(lists[0][0]));
        Assert.All(lists, list =>
        {
            Assert.True(list.Count > 1);
            var times = list.Select(session => session.GetProperty("created_at").GetInt64()).ToList();
            Assert.Equal(times.OrderByDescending(time => time), times);
            Assert.Equal(times.Count, times.Distinct().Count());
        });
    }

    [Fact]
    public async Task Revoking_an_active_session_answers_it_revoked_and_a_second_revoke_answers_it_unchanged()
    {
        using var host = EmulatorHost.Start();
        var session = await host.SessionIdAsync();
        var (_, before) = await host.GetJsonAsync("sessions/" + session);

        var (firstStatus, first) = await host.PostJsonAsync($"sessions/{session}/revoke");
        var (_, read) = await host.GetJsonAsync("sessions/" + session);
        var (secondStatus, second) = await host.PostJsonAsync($"sessions/{session}/revoke");

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal("active", before.GetProperty("status").GetString());
        Assert.Equal("revoked", first.GetProperty("status").GetString());
        Assert.True(first.GetProperty("updated_at").GetInt64() >= before.GetProperty("updated_at").GetInt64());
        Assert.Equal(first.GetRawText(), read.GetRawText());
        Assert.Equal(HttpStatusCode.OK, secondStatus);
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("ended")]
    [InlineData("expired")]
    [InlineData("removed")]
    [InlineData("abandoned")]
    [InlineData("replaced")]
    public async Task Revoking_a_finished_session_answers_it_as_it_was(string status)
    {
        using var host = EmulatorHost.Start();
        var session = await host.SessionIdAsync(status);
        var (_, before) = await host.GetJsonAsync("sessions/" + session);

        var (answered, revoked) = await host.PostJsonAsync($"sessions/{session}/revoke");

        Assert.Equal(HttpStatusCode.OK, answered);
        Assert.Equal(before.GetRawText(), revoked.GetRawText());
        Assert.Equal(status, revoked.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revoking_a_pending_session_revokes_it()
    {
        using var host = EmulatorHost.Start();
        var session = await host.SessionIdAsync("pending");

        var (_, revoked) = await host.PostJsonAsync($"sessions/{session}/revoke");

        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Creating_adds_an_active_session_for_a_known_user_and_nothing_for_an_unknown_one()
    {
        using var host = EmulatorHost.Start();
        var user = host.UserIds[2];
        var before = await host.SessionsOfAsync(user);

        var (status, created) = await host.PostJsonAsync("sessions", JsonSerializer.Serialize(new { user_id = user }));
        var (unknownStatus, unknown) = await host.PostJsonAsync("sessions", JsonSerializer.Serialize(new { user_id = "user_2nobody0000000000000000000" }));
        var after = await host.SessionsOfAsync(user);
        var (_, read) = await host.GetJsonAsync("sessions/" + Id(created));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(user, created.GetProperty("user_id").GetString());
        Assert.Equal(created.GetRawText(), read.GetRawText());
        Assert.Equal(new[] { Id(created) }.Concat(before.Select(Id)), after.Select(Id));
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("resource_not_found", EmulatorHost.ErrorCode(unknown));
        Assert.Equal(before.Count + 1 + ((host.UserIds.Count - 1) * host.Emulator.SessionsPerUser), (await host.AllSessionsAsync()).Count);
    }

    [Fact]
    public async Task Reset_seeds_again_and_forgets_faults_and_requests_but_keeps_keys_and_settings()
    {
        using var host = EmulatorHost.Start(options => options.RateLimit = 500);
        var seeded = await host.AllSessionsAsync();
        var active = await host.SessionIdAsync();
        var (_, created) = await host.PostJsonAsync("sessions", JsonSerializer.Serialize(new { user_id = host.UserIds[0] }));
        await host.PostJsonAsync($"sessions/{active}/revoke");
        host.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, Operation = new[] { "GetJWKS" }, Count = 5 });
        var keyId = host.Emulator.SigningKeyId;
        Assert.NotEmpty(host.Emulator.GetRequests());

        host.Emulator.Reset();

        Assert.Empty(host.Emulator.GetRequests());
        Assert.Empty(host.Emulator.PendingFaults);
        var (missing, _) = await host.GetJsonAsync("sessions/" + Id(created));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(1, host.Emulator.GetRequests()[0].Sequence);
        static string Seeded(JsonElement session) => $"{session.GetProperty("id")} {session.GetProperty("user_id")} {session.GetProperty("client_id")} {session.GetProperty("status")}";
        Assert.Equal(seeded.Select(Seeded), (await host.AllSessionsAsync()).Select(Seeded));
        using var jwks = await host.Http.GetAsync("jwks");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Equal(keyId, host.Emulator.SigningKeyId);
        Assert.Equal(500, host.Emulator.RateLimit);
    }
}
