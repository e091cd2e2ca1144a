using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Emulator;

namespace ClerkSessions.Tests.Core;

public sealed class PagingTests
{
    [Fact]
    public async Task Paging_fetches_every_page_until_total_count_and_no_further()
    {
        await using var harness = await Harness.StartAsync();

        var sessions = await Collect(harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_paged_0001", Limit = 2 }));

        Assert.Equal(5, sessions.Count);
        Assert.Equal(5, sessions.Select(session => session.Id).Distinct().Count());
        Assert.All(sessions, session => Assert.Equal("user_paged_0001", session.UserId));
        var requests = harness.Server.Requests;
        Assert.Equal(new[] { "0", "2", "4" }, requests.Select(request => Query(request, "offset")));
        Assert.All(requests, request =>
        {
            Assert.Equal("2", Query(request, "limit"));
            Assert.Equal("true", Query(request, "paginated"));
            Assert.Equal("user_paged_0001", Query(request, "user_id"));
        });
    }

    [Fact]
    public async Task A_single_page_reports_total_count()
    {
        await using var harness = await Harness.StartAsync();

        var page = await harness.Client.GetSessionListPageAsync(new SessionListQuery { UserId = "user_paged_0001", Limit = 2, Offset = 2 });

        Assert.Equal(5, page.TotalCount);
        Assert.Equal(2, page.Sessions.Count);
        Assert.Equal("2", Query(harness.SingleRequest(), "offset"));
    }

    [Fact]
    public async Task A_bare_array_is_read_and_paging_stops_at_the_short_page()
    {
        await using var harness = await Harness.StartAsync();

        var query = new SessionListQuery { UserId = "user_bare_0001", Limit = 10, Paginated = false };
        var sessions = await Collect(harness.Client.GetSessionsAsync(query));

        Assert.Equal(3, sessions.Count);
        var request = harness.SingleRequest();
        Assert.Equal("user_id=user_bare_0001&limit=10&offset=0", request.RawQuery);
        var page = await harness.Client.GetSessionListPageAsync(query);
        Assert.Null(page.TotalCount);
    }

    [Fact]
    public async Task Stopping_early_asks_for_no_further_page()
    {
        await using var harness = await Harness.StartAsync();

        var first = new List<ClerkSession>();
        await foreach (var session in harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_paged_0001", Limit = 2 }))
        {
            first.Add(session);
            if (first.Count == 1)
            {
                break;
            }
        }

        Assert.Single(first);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Filters_are_sent_as_the_spec_names_them()
    {
        await using var harness = await Harness.StartAsync();

        var sessions = await Collect(harness.Client.GetSessionsAsync(new SessionListQuery { ClientId = "client_0001", Status = ClerkSessionStatus.Active, Limit = 10 }));

        Assert.Equal("client_id=client_0001&status=active&paginated=true&limit=10&offset=0", harness.SingleRequest().RawQuery);
        Assert.All(sessions, session => Assert.Equal(ClerkSessionStatus.Active, session.Status));
    }

    [Fact]
    public async Task Unknown_statuses_and_unknown_fields_are_tolerated_and_kept()
    {
        await using var harness = await Harness.StartAsync();

        var sessions = await Collect(harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_future_0001", Limit = 10 }));

        var future = Assert.Single(sessions, session => !IsDocumented(session.Status));
        Assert.False(ClerkSessionStatus.IsFinished(future.Status));
        Assert.NotNull(future.AdditionalFields);
        Assert.NotEmpty(future.AdditionalFields!);
    }

    [Fact]
    public async Task Paging_stops_when_total_count_is_reached_even_if_the_page_was_full()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(new TestServer.ScriptedResponse { Body = PageJson(2, total: 2, "a") });

        var sessions = await Collect(harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_scripted", Limit = 2 }));

        Assert.Equal(2, sessions.Count);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task An_empty_page_ends_paging_even_when_total_count_says_more()
    {
        await using var harness = await Harness.StartAsync();
        harness.Server.Script(
            new TestServer.ScriptedResponse { Body = PageJson(2, total: 10, "a") },
            new TestServer.ScriptedResponse { Body = PageJson(0, total: 10, "b") });

        var sessions = await Collect(harness.Client.GetSessionsAsync(new SessionListQuery { UserId = "user_scripted", Limit = 2 }));

        Assert.Equal(2, sessions.Count);
        Assert.Equal(2, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task An_error_on_a_later_page_surfaces_after_the_earlier_pages_were_yielded()
    {
        using var harness = await EmulatorHarness.StartAsync(options => options.MaxRetries = 0);
        harness.Emulator.AddFaultAfterFirst("GetSessionList", new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 500 });

        var seen = new List<ClerkSession>();
        var error = await Assert.ThrowsAsync<ClerkApiException>(async () =>
        {
            await foreach (var session in harness.Client.GetSessionsAsync(new SessionListQuery { UserId = harness.UserId, Limit = 2 }))
            {
                seen.Add(session);
            }
        });

        Assert.Equal(2, seen.Count);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(new[] { 200, 500 }, harness.Requests.Select(request => request.StatusCode));
    }

    internal static string PageJson(int count, int total, string prefix)
    {
        var sessions = Enumerable.Range(0, count).Select(index =>
            $$"""{"object":"session","id":"sess_{{prefix}}{{index}}","user_id":"user_scripted","client_id":"client_0001","status":"active","last_active_at":1716883200000,"expire_at":1716969600000,"abandon_at":1719475200000,"updated_at":1716883200000,"created_at":1716883200000}""");
        return $$"""{"data":[{{string.Join(",", sessions)}}],"total_count":{{total}}}""";
    }

    private static bool IsDocumented(string? status) => status is ClerkSessionStatus.Active or ClerkSessionStatus.Revoked or ClerkSessionStatus.Ended
        or ClerkSessionStatus.Expired or ClerkSessionStatus.Removed or ClerkSessionStatus.Abandoned or ClerkSessionStatus.Replaced or ClerkSessionStatus.Pending;

    private static string? Query(TestServer.ReceivedRequest request, string name) =>
        request.QueryParameters.Where(pair => pair.Key == name).Select(pair => pair.Value).SingleOrDefault();

    private static async Task<List<ClerkSession>> Collect(IAsyncEnumerable<ClerkSession> sessions)
    {
        var list = new List<ClerkSession>();
        await foreach (var session in sessions)
        {
            list.Add(session);
        }

        return list;
    }
}
