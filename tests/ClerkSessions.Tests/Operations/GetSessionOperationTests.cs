using System.Management.Automation;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;
using ClerkSessions.TestServer;
using ClerkSessions.Tests.Core;
using ClerkSessions.Tests.Emulator;

namespace ClerkSessions.Tests.Operations;

public sealed class GetSessionOperationTests
{
    private const string PagedUser = "user_paged_0001";

    [Fact]
    public async Task Sessions_by_id_are_written_and_a_missing_one_is_a_non_terminating_error()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.GetById(new[] { Harness.ActiveSession, Harness.MissingSession, Harness.RevokedSession });
        get.WaitAll();

        Assert.Equal(new[] { Harness.ActiveSession, Harness.RevokedSession }, harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id));
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkSessionNotFound", error.ErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal(Harness.MissingSession, error.TargetObject);
    }

    [Fact]
    public async Task An_id_refused_before_sending_is_named_without_its_control_characters()
    {
        const string sessionId = "sess_\u001b[2J\r\nforged line";
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.GetById(new[] { sessionId });
        get.WaitAll();

        Assert.Empty(harness.Requests);
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkInvalidArgument", error.ErrorId);
        Assert.Equal(sessionId, error.TargetObject);
        Assert.Equal("sess_?[2J??forged line: The session id contains a control character. (Parameter 'sessionId')", error.Details);
    }

    [Fact]
    public async Task A_long_id_refused_before_sending_is_named_cut_short()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.GetById(new[] { new string('s', 5000) });
        get.WaitAll();

        Assert.Empty(harness.Requests);
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal(new string('s', 80) + "...: The session id is 5000 characters long; Clerk ids are far shorter. (Parameter 'sessionId')", error.Details);
    }

    [Fact]
    public async Task Listing_streams_every_page_until_the_end()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser, Limit = 2 });
        get.WaitAll();

        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"sess_paged_000{n}"), harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id));
        Assert.Equal(new[] { "0", "2", "4" }, harness.Requests.Select(request => Query(request, "offset")));
        Assert.All(harness.Requests, request => Assert.Equal("2", Query(request, "limit")));
        Assert.Contains("Page 3: 1 session(s) from offset 4 of 5.", harness.Host.Verbose);
    }

    [Fact]
    public async Task First_stops_asking_for_pages_once_it_has_enough()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser, Limit = 2 }, new PagingWindow { First = 3 });
        get.WaitAll();

        Assert.Equal(new[] { "sess_paged_0001", "sess_paged_0002", "sess_paged_0003" }, harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id));
        Assert.Equal(2, harness.Requests.Count);
    }

    [Fact]
    public async Task Skip_becomes_the_offset_of_the_first_request()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser, Limit = 2 }, new PagingWindow { Skip = 2, First = 2 });
        get.WaitAll();

        Assert.Equal(new[] { "sess_paged_0003", "sess_paged_0004" }, harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id));
        Assert.Equal("2", Query(Assert.Single(harness.Requests), "offset"));
    }

    [Fact]
    public async Task IncludeTotalCount_reports_Clerks_total_before_the_sessions()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.OnObject = _ => Assert.Single(harness.Host.TotalCounts);
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser, Limit = 2 }, new PagingWindow { IncludeTotalCount = true });
        get.WaitAll();

        Assert.Equal((5UL, 1.0), Assert.Single(harness.Host.TotalCounts));
        Assert.Equal(5, harness.Host.Objects.Count);
    }

    [Fact]
    public async Task A_bare_array_answer_is_listed_and_its_total_reported_as_unknown()
    {
        await using var harness = await CommandHarness.StartAsync();
        var bareArray = Recording.LoadDirectory(Harness.RecordingsDirectory).Single(recording => recording.Name == "GetSessionList-bare-array").Response.Body.GetRawText();
        harness.Server.Script(new ScriptedResponse { Body = bareArray });
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = "user_bare_0001", Limit = 10 }, new PagingWindow { IncludeTotalCount = true });
        get.WaitAll();

        Assert.Equal(3, harness.Host.Objects.Count);
        Assert.Equal((0UL, 0.0), Assert.Single(harness.Host.TotalCounts));
    }

    [Fact]
    public async Task Filters_by_client_and_status_reach_the_query()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { ClientId = "client_0001", Status = "Active", Limit = 10 });
        get.WaitAll();

        var request = Assert.Single(harness.Requests);
        Assert.Equal("active", Query(request, "status"));
        Assert.Equal("client_0001", Query(request, "client_id"));
        Assert.Equal(Harness.ActiveSession, Assert.IsType<ClerkSession>(Assert.Single(harness.Host.Objects)).Id);
    }

    [Fact]
    public async Task A_downstream_stop_ends_the_listing_with_at_most_the_page_ahead_asked_for()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.OnObject = _ => throw new DownstreamStopped();
        var get = new GetSessionOperation(harness.Host, harness.Connection);

        Assert.Throws<DownstreamStopped>(() =>
        {
            get.List(new SessionListQuery { UserId = PagedUser, Limit = 2 });
            get.WaitAll();
        });
        get.Dispose();
        await Task.Delay(300);

        // Page 1 was being written when page 2 was asked for; page 3 never is.
        Assert.InRange(harness.Requests.Count, 1, 2);
        Assert.DoesNotContain(harness.Requests, request => Query(request, "offset") == "4");
    }

    [Fact]
    public async Task Listing_without_a_user_or_client_is_a_terminating_error_before_any_request()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        var stop = Assert.Throws<CommandTerminatingException>(() => get.List(new SessionListQuery { Status = "active" }));

        Assert.Equal("ClerkInvalidParameters", stop.Error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, stop.Error.Category);
        Assert.Contains("-UserId, -ClientId", stop.Error.Details, StringComparison.Ordinal);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task A_failure_after_the_first_page_says_how_far_the_listing_got()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        harness.Emulator.AddFaultAfterFirst("GetSessionList", new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 422 });
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = harness.UserId, Limit = 2 });
        get.WaitAll();

        Assert.Equal(2, harness.Host.Objects.Count);
        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkInvalidRequest", error.ErrorId);
        Assert.Equal(harness.UserId, error.TargetObject);
        Assert.Contains("Listing stopped after 2 session(s): page 2 (offset 2) failed.", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_error_is_non_terminating_with_Clerks_message()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = "user_invalid_0001", Limit = 10 });
        get.WaitAll();

        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkInvalidRequest", error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("HTTP 422", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_key_while_listing_is_terminating()
    {
        await using var harness = await CommandHarness.StartAsync(Harness.RejectedKey);
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        var stop = Assert.Throws<CommandTerminatingException>(() =>
        {
            get.List(new SessionListQuery { UserId = "user_0001", Limit = 10 });
            get.WaitAll();
        });

        Assert.Equal("ClerkSecretKeyRejected", stop.Error.ErrorId);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(501, 10)]
    public async Task Out_of_range_page_sizes_are_rejected_before_any_request(int pageSize, int first)
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        Assert.Throws<CommandTerminatingException>(() => get.List(new SessionListQuery { UserId = PagedUser, Limit = pageSize }, new PagingWindow { First = (ulong)first }));
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task First_zero_sends_nothing()
    {
        await using var harness = await CommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser }, new PagingWindow { First = 0 });
        get.WaitAll();

        Assert.Empty(harness.Requests);
        Assert.Empty(harness.Host.Objects);
    }

    [Fact]
    public async Task A_status_filtered_list_is_read_to_the_end_before_the_first_session_is_written()
    {
        await using var harness = await CommandHarness.StartAsync();
        var requestsAtFirstObject = -1;
        harness.Host.OnObject = _ =>
        {
            if (requestsAtFirstObject < 0)
            {
                requestsAtFirstObject = harness.Requests.Count;
            }
        };
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = PagedUser, Status = "active", Limit = 2 });
        get.WaitAll();

        // Revoking downstream would shrink an "active" list under the offsets: every page is read first.
        Assert.Equal(3, requestsAtFirstObject);
        Assert.Equal(5, harness.Host.Objects.Count);
        Assert.All(harness.Requests, request => Assert.Equal("active", Query(request, "status")));
        Assert.Contains(harness.Host.Verbose, line => line.StartsWith($"Reading every page of user {PagedUser}, client any before writing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_status_filtered_list_that_fails_part_way_still_writes_what_it_read_then_the_error()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        harness.Emulator.AddFaultAfterFirst("GetSessionList", new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 400 });
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        // Half of a seeded user's six sessions are active: two pages of two, and the second one fails.
        get.List(new SessionListQuery { UserId = harness.UserId, Status = "active", Limit = 2 });
        get.WaitAll();

        Assert.Equal(2, harness.Host.Objects.Count);
        Assert.Contains("Listing stopped after 2 session(s)", Assert.Single(harness.Host.Errors).Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_are_checked_before_any_connection()
    {
        Assert.Equal("ClerkInvalidParameters", Assert.Throws<CommandTerminatingException>(() => GetSessionOperation.Check(new SessionListQuery { Status = "active" }, new PagingWindow())).Error.ErrorId);
        Assert.Throws<CommandTerminatingException>(() => GetSessionOperation.Check(new SessionListQuery { UserId = "user_1", Status = "pending" }, new PagingWindow()));
        GetSessionOperation.Check(new SessionListQuery { UserId = "user_1", Status = "active" }, new PagingWindow());
    }

    [Theory]
    [InlineData(3UL, 0UL, false)]
    [InlineData(ulong.MaxValue, 1UL, false)]
    [InlineData(ulong.MaxValue, 0UL, true)]
    public void Paging_switches_with_ids_are_refused_rather_than_ignored(ulong first, ulong skip, bool includeTotalCount)
    {
        var stop = Assert.Throws<CommandTerminatingException>(() => GetSessionOperation.CheckNoPaging(new PagingWindow { First = first, Skip = skip, IncludeTotalCount = includeTotalCount }));

        Assert.Contains("-SessionId", stop.Error.Details, StringComparison.Ordinal);
        GetSessionOperation.CheckNoPaging(new PagingWindow());
    }

    [Fact]
    public async Task The_next_page_is_fetched_while_one_is_written_and_never_two_ahead()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        var requestsWhileFirstWritten = -1;
        var requestsAfterWaiting = -1;
        harness.Host.OnObject = _ =>
        {
            if (requestsWhileFirstWritten >= 0)
            {
                return;
            }

            SpinWait.SpinUntil(() => harness.Requests.Count == 2, TimeSpan.FromSeconds(10));
            requestsWhileFirstWritten = harness.Requests.Count;
            Thread.Sleep(300);
            requestsAfterWaiting = harness.Requests.Count;
        };
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = harness.UserId, Limit = 2 });
        get.WaitAll();

        Assert.Equal(2, requestsWhileFirstWritten);
        Assert.Equal(2, requestsAfterWaiting);
        Assert.Equal(6, harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id).Distinct().Count());
        Assert.Equal(3, harness.Requests.Count);
    }

    [Fact]
    public async Task Several_users_are_listed_in_flight_and_written_user_by_user_in_the_order_given()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        var users = harness.EmulatorHost.UserIds.Reverse().ToList();
        using var get = new GetSessionOperation(harness.Host, harness.Connection, throttleLimit: 3);

        foreach (var user in users)
        {
            get.List(new SessionListQuery { UserId = user, Status = "active", Limit = 2 });
        }

        get.WaitAll();

        var sessions = harness.Host.ObjectsOf<ClerkSession>().ToList();
        Assert.Equal(users, sessions.Select(session => session.UserId).Distinct());
        Assert.Equal(harness.ActiveSessions.OrderBy(id => id, StringComparer.Ordinal), sessions.Select(session => session.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(sessions, session => Assert.Equal("active", session.Status));
        Assert.Empty(harness.Host.Errors);
    }

    [Fact]
    public async Task A_user_piped_twice_is_listed_once()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        using var get = new GetSessionOperation(harness.Host, harness.Connection);

        get.List(new SessionListQuery { UserId = harness.UserId, Limit = 10 });
        get.List(new SessionListQuery { UserId = harness.UserId, Limit = 10 });
        get.WaitAll();

        Assert.Single(harness.Requests);
        Assert.Equal(6, harness.Host.Objects.Count);
        Assert.Contains(harness.Host.Verbose, line => line.Contains($"Skipping the sessions of user {harness.UserId}, client any: already listed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sessions_by_id_in_flight_are_written_in_the_order_given()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        var ids = harness.ActiveSessions.ToList();

        // The first answer is the slowest: the others complete first but wait their turn.
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromMilliseconds(500), Path = $"/v1/sessions/{ids[0]}" });
        using var get = new GetSessionOperation(harness.Host, harness.Connection, throttleLimit: 4);
        get.GetById(ids);
        get.WaitAll();

        Assert.Equal(ids, harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id));
    }

    private static string? Query(ReceivedRequest request, string name) =>
        request.QueryParameters.Where(pair => pair.Key == name).Select(pair => pair.Value).SingleOrDefault();

    private sealed class DownstreamStopped : Exception
    {
    }
}
