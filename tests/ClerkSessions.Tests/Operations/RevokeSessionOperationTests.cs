using System.Diagnostics;
using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;
using ClerkSessions.Tests.Core;

namespace ClerkSessions.Tests.Operations;

/// <summary>Revoke-ClerkSession, above all the bulk pipeline Get-ClerkSession -UserId x | Revoke-ClerkSession.</summary>
public sealed class RevokeSessionOperationTests
{
    private const string PagedUser = "user_paged_0001";

    [Fact]
    public async Task The_bulk_pipeline_revokes_every_session_of_the_user_across_pages()
    {
        await using var harness = await CommandHarness.StartAsync();
        var sessions = ListSessions(harness, PagedUser, pageSize: 2);
        Assert.Equal(5, sessions.Count);
        harness.Server.ClearRequests();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: false);
        foreach (var session in sessions)
        {
            revoke.Process(new[] { session });
        }

        revoke.Complete();

        var revokeRequests = harness.RequestsTo("POST", "/revoke").Select(request => request.Path).OrderBy(path => path, StringComparer.Ordinal);
        Assert.Equal(sessions.Select(session => $"/v1/sessions/{session.Id}/revoke").OrderBy(path => path, StringComparer.Ordinal), revokeRequests);
        var revoked = harness.Host.ObjectsOf<ClerkSession>().ToList();
        Assert.Equal(sessions.Select(session => session.Id).OrderBy(id => id, StringComparer.Ordinal), revoked.Select(session => session.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(revoked, session => Assert.Equal("revoked", session.Status));
        Assert.Empty(harness.Host.Errors);
        Assert.StartsWith("Revoke-ClerkSession: 5 revoked, 0 skipped, 0 failed in ", Summary(harness.Host));
        Assert.Empty(harness.Host.OffThreadWrites);
    }

    [Fact]
    public async Task Confirmation_names_the_session_and_its_user()
    {
        await using var harness = await CommandHarness.StartAsync();
        var sessions = ListSessions(harness, PagedUser, pageSize: 2);

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: false);
        revoke.Process(sessions.Take(1));
        revoke.Process(new[] { "sess_active_0001" });

        Assert.Equal(
            new[] { ("Clerk session sess_paged_0001 (user user_paged_0001)", "Revoke"), ("Clerk session sess_active_0001", "Revoke") },
            harness.Host.ShouldProcessCalls);
    }

    [Fact]
    public async Task WhatIf_sends_no_revoke_request_even_with_Force()
    {
        await using var harness = await CommandHarness.StartAsync();
        var sessions = ListSessions(harness, PagedUser, pageSize: 2);
        harness.Server.ClearRequests();
        harness.Host.WhatIf = true;

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(sessions);
        revoke.Process(new[] { "sess_active_0001" });
        revoke.Complete();

        Assert.Empty(harness.Requests);
        Assert.Equal(6, harness.Host.ShouldProcessCalls.Count);
        Assert.Empty(harness.Host.ObjectsOf<ClerkSession>());
        Assert.Equal(0, revoke.Revoked);
    }

    [Fact]
    public async Task Force_revokes_without_asking()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.Confirm = _ => false;

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { Harness.ActiveSession });
        revoke.Complete();

        Assert.Empty(harness.Host.ShouldProcessCalls);
        Assert.Single(harness.RequestsTo("POST", "/revoke"));
        Assert.Equal(Harness.ActiveSession, Assert.IsType<ClerkSession>(Assert.Single(harness.Host.Objects)).Id);
    }

    [Fact]
    public async Task An_explicit_Confirm_asks_even_with_Force()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.ConfirmRequested = true;
        harness.Host.Confirm = _ => false;

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { Harness.ActiveSession });

        Assert.Single(harness.Host.ShouldProcessCalls);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task A_declined_confirmation_sends_nothing_for_that_session_only()
    {
        await using var harness = await CommandHarness.StartAsync();
        harness.Host.Confirm = target => !target.Contains("sess_paged_0002", StringComparison.Ordinal);

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: false);
        revoke.Process(new[] { "sess_paged_0001", "sess_paged_0002", "sess_paged_0003" });
        revoke.Complete();

        Assert.Equal(new[] { "/v1/sessions/sess_paged_0001/revoke", "/v1/sessions/sess_paged_0003/revoke" }, harness.RequestsTo("POST", "/revoke").Select(request => request.Path).OrderBy(path => path, StringComparer.Ordinal));
        Assert.StartsWith("Revoke-ClerkSession: 2 revoked, 1 skipped, 0 failed in ", Summary(harness.Host));
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("ended")]
    [InlineData("expired")]
    [InlineData("removed")]
    [InlineData("abandoned")]
    [InlineData("replaced")]
    public async Task Finished_sessions_are_skipped_without_a_request_and_said_so_in_verbose(string status)
    {
        await using var harness = await CommandHarness.StartAsync();
        var finished = new ClerkSession { Id = "sess_finished_0001", UserId = "user_0001", Status = status };

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { finished });
        revoke.Complete();

        Assert.Empty(harness.Requests);
        Assert.Contains(harness.Host.Verbose, line => line.Contains("sess_finished_0001", StringComparison.Ordinal) && line.Contains($"'{status}'", StringComparison.Ordinal));
        Assert.Equal(1, revoke.Skipped);
    }

    [Fact]
    public async Task Sessions_listed_with_mixed_statuses_revoke_only_the_live_ones()
    {
        await using var harness = await CommandHarness.StartAsync();
        var sessions = ListSessions(harness, "user_0001", pageSize: 10);
        harness.Server.ClearRequests();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(sessions);
        revoke.Complete();

        Assert.Equal(new[] { "/v1/sessions/sess_active_0001/revoke" }, harness.Requests.Select(request => request.Path));
    }

    [Fact]
    public async Task An_id_is_revoked_once_per_pipeline_run()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { Harness.ActiveSession, Harness.ActiveSession });
        revoke.Process(new[] { new ClerkSession { Id = Harness.ActiveSession, Status = "active" } });
        revoke.Complete();

        Assert.Single(harness.Requests);
        Assert.Single(harness.Host.Objects);
        Assert.Equal(2, revoke.Skipped);
        Assert.Contains(harness.Host.Verbose, line => line.Contains("already handled in this pipeline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failure_is_a_non_terminating_error_naming_the_session_and_the_rest_continue()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { Harness.MissingSession, Harness.ActiveSession });
        revoke.Complete();

        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkSessionNotFound", error.ErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal(Harness.MissingSession, error.TargetObject);
        Assert.Contains("No session was found with id sess_missing_0001", error.Details, StringComparison.Ordinal);
        Assert.Contains("trace id trace_not_found_", error.Details, StringComparison.Ordinal);
        Assert.Equal(Harness.ActiveSession, Assert.IsType<ClerkSession>(Assert.Single(harness.Host.Objects)).Id);
        Assert.StartsWith("Revoke-ClerkSession: 1 revoked, 0 skipped, 1 failed in ", Summary(harness.Host));
    }

    [Fact]
    public async Task An_empty_id_is_an_error_for_that_item_only()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { " ", Harness.ActiveSession });
        revoke.Complete();

        var error = Assert.Single(harness.Host.Errors);
        Assert.Equal("ClerkSessionInputInvalid", error.ErrorId);
        Assert.Equal(" ", error.TargetObject);
        Assert.Single(harness.Host.Objects);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task A_rejected_key_stops_the_pipeline_before_any_further_request_starts()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        using var wrongKey = ClerkConnection.Open(ClerkSecretKey.FromPlainText(Harness.RejectedKey), "test", new ClerkClientOptions { BaseUrl = harness.Emulator.ApiUrl });

        // Two in flight: the third waits for a slot, finds the rejected key instead, and is never sent.
        using var revoke = new RevokeSessionOperation(harness.Host, wrongKey, force: true, throttleLimit: 2);
        var stop = Assert.Throws<CommandTerminatingException>(() => revoke.Process(harness.ActiveSessions.Take(4).Select(id => new SessionReference(id))));

        Assert.Equal("ClerkSecretKeyRejected", stop.Error.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, stop.Error.Category);

        // About the connection, so not led by the session id it happened on.
        Assert.StartsWith("Clerk rejected the secret key", stop.Error.Details, StringComparison.Ordinal);
        Assert.Empty(harness.Host.Errors);
        Assert.Equal(2, harness.Requests.Count);
        Assert.DoesNotContain(Harness.RejectedKey, stop.Error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_counts_done_of_total_with_the_rate_and_completes_at_the_end()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true) { ExpectedTotal = 2 };
        revoke.Process(new[] { "sess_paged_0001", "sess_paged_0002" });
        revoke.Complete();

        var progress = harness.Host.Progress;
        Assert.Equal(3, progress.Count);
        Assert.Matches(@"^1 of 2 done(, 1 in flight)?, \d+\.\d revoked/s: sess_paged_000[12]$", progress[0].Status);
        Assert.Equal(50, progress[0].PercentComplete);
        Assert.Matches(@"^2 of 2 done, \d+\.\d revoked/s: sess_paged_000[12]$", progress[1].Status);
        Assert.Equal(100, progress[1].PercentComplete);
        Assert.True(progress[2].Completed);
        Assert.All(progress.Take(2), record => Assert.False(record.Completed));
    }

    [Fact]
    public async Task Progress_without_a_known_total_counts_what_was_received_without_a_percentage()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { "sess_paged_0001" });
        revoke.Complete();

        var record = harness.Host.Progress[0];
        Assert.Equal(-1, record.PercentComplete);
        Assert.Matches(@"^1 of 1 received done, \d+\.\d revoked/s: sess_paged_0001$", record.Status);
    }

    [Fact]
    public async Task Each_request_appears_in_verbose_written_on_the_pipeline_thread()
    {
        await using var harness = await CommandHarness.StartAsync();

        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);
        revoke.Process(new[] { Harness.ActiveSession });
        revoke.Complete();

        Assert.Contains(harness.Host.Verbose, line => line.Contains("POST", StringComparison.Ordinal) && line.Contains("sessions/sess_active_0001/revoke", StringComparison.Ordinal) && line.Contains("200", StringComparison.Ordinal));
        Assert.Empty(harness.Host.OffThreadWrites);
    }

    [Fact]
    public async Task Ctrl_C_cancels_every_request_in_flight_within_a_second()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(30), Count = 3 });
        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true, throttleLimit: 3);

        var stop = StopWhen(harness.Host, () => harness.Requests.Count == 3);
        revoke.Process(harness.ActiveSessions.Take(3).Select(id => new SessionReference(id)));
        await stop;
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(revoke.Complete);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancelling took {clock.Elapsed}");
        revoke.Dispose();
        await Task.Delay(300);
        Assert.Equal(3, harness.Requests.Count);
        Assert.Empty(harness.Host.Objects);
    }

    [Fact]
    public async Task Ctrl_C_cancels_a_retry_wait_promptly()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var harness = await EmulatorCommandHarness.StartAsync(realDelays: true, configure: options => Harness.SignalWaits(options, waiting));
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 25 });
        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true);

        var clock = Stopwatch.StartNew();
        var stop = StopWhen(harness.Host, () => waiting.Task.IsCompleted);

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            revoke.Process(new[] { harness.ActiveSessions[0] });
            revoke.Complete();
        });
        await stop;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancelling took {clock.Elapsed}");
        Assert.Single(harness.Requests);
        Assert.Contains(harness.Host.Verbose, line => line.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_revokes_in_flight_the_questions_are_asked_in_input_order()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        var ids = harness.ActiveSessions.ToList();
        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: false, throttleLimit: 4);

        revoke.Process(ids.Select(id => new SessionReference(id)));
        revoke.Complete();

        Assert.Equal(ids.Select(id => $"Clerk session {id}"), harness.Host.ShouldProcessCalls.Select(call => call.Target));
        Assert.Equal(ids.Count, harness.Host.ObjectsOf<ClerkSession>().Count());
    }

    [Fact]
    public async Task Every_input_ends_as_a_revoked_session_an_error_naming_it_or_a_skip_and_none_is_revoked_twice()
    {
        using var harness = await EmulatorCommandHarness.StartAsync();
        var active = harness.ActiveSessions.ToList();
        var refused = active[2];
        harness.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 422, Path = $"/v1/sessions/{refused}/revoke" });
        var inputs = active.Select(id => new SessionReference(id))
            .Append(new SessionReference("sess_2NotThere0000000000000000"))
            .Append(new SessionReference(active[0]))
            .Append(new SessionReference("sess_2Finished000000000000000", status: "ended"))
            .ToList();
        using var revoke = new RevokeSessionOperation(harness.Host, harness.Connection, force: true, throttleLimit: 5);

        revoke.Process(inputs);
        revoke.Complete();

        var revoked = harness.Host.ObjectsOf<ClerkSession>().Select(session => session.Id).ToList();
        var failed = harness.Host.Errors.Select(error => (string)error.TargetObject!).ToList();
        Assert.Equal(active.Where(id => id != refused).OrderBy(id => id, StringComparer.Ordinal), revoked.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(new[] { refused, "sess_2NotThere0000000000000000" }.OrderBy(id => id, StringComparer.Ordinal), failed.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal((revoked.Count, 2, failed.Count), (revoke.Revoked, revoke.Skipped, revoke.Failed));
        Assert.Equal(inputs.Count, revoke.Revoked + revoke.Skipped + revoke.Failed);
        var revokeRequests = harness.Requests.Where(request => request.Path.EndsWith("/revoke", StringComparison.Ordinal)).GroupBy(request => request.Path).ToList();
        Assert.All(revokeRequests, requests => Assert.Single(requests));
    }

    /// <summary>Presses Ctrl+C once <paramref name="ready"/> holds, never before, however slow the machine.</summary>
    private static Task StopWhen(RecordingHost host, Func<bool> ready) => Task.Run(async () =>
    {
        var deadline = Stopwatch.StartNew();
        while (!ready())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the moment to press Ctrl+C never came");
            await Task.Delay(10);
        }

        host.Stop();
    });

    private static string Summary(RecordingHost host) => Assert.Single(host.Verbose, line => line.StartsWith("Revoke-ClerkSession: ", StringComparison.Ordinal));

    private static List<ClerkSession> ListSessions(CommandHarness harness, string userId, int pageSize)
    {
        using var get = new GetSessionOperation(harness.Host, harness.Connection);
        var before = harness.Host.Objects.Count;
        get.List(new SessionListQuery { UserId = userId, Limit = pageSize });
        get.WaitAll();
        var sessions = harness.Host.Objects.Skip(before).Cast<ClerkSession>().ToList();
        harness.Host.Objects.RemoveRange(before, sessions.Count);
        return sessions;
    }
}
