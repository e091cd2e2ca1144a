using System.Text.Json;
using ClerkSessions.Core.Json;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Tests.Core;

public sealed class ModelTests
{
    private static ClerkSession Parse(string json) => JsonSerializer.Deserialize(json, ClerkJsonContext.Default.ClerkSession)!;

    [Theory]
    [InlineData("1e30")]
    [InlineData("99999999999999999999999")]
    [InlineData("253402300800000")]
    [InlineData("-62135596800001")]
    [InlineData("\"soon\"")]
    [InlineData("{}")]
    [InlineData("1.5")]
    public void Timestamps_out_of_range_or_of_the_wrong_type_do_not_break_parsing(string value)
    {
        var session = Parse($$"""{"id":"sess_1","status":"active","expire_at":{{value}},"created_at":1716883200000}""");

        Assert.Null(session.ExpireAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 28, 8, 0, 0, TimeSpan.Zero), session.CreatedAt);
    }

    [Fact]
    public void The_largest_representable_timestamp_is_kept_with_its_raw_value()
    {
        var session = Parse("""{"id":"sess_1","expire_at":253402300799999}""");

        Assert.Equal(253402300799999, session.ExpireAtUnixMs);
        Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), session.ExpireAt!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void The_actor_is_kept_raw_and_as_a_dictionary_and_tasks_are_read()
    {
        var session = Parse("""{"id":"sess_1","actor":{"sub":"user_admin","iss":"https://dashboard.clerk.com","nested":{"list":[1,"a",true,null]}},"tasks":[{"key":"choose-organization"}]}""");

        Assert.Equal(JsonValueKind.Object, session.ActorJson!.Value.ValueKind);
        Assert.Equal("user_admin", session.Actor!["sub"]);
        var nested = (IReadOnlyDictionary<string, object?>)session.Actor["nested"]!;
        Assert.Equal(new object?[] { 1L, "a", true, null }, (List<object?>)nested["list"]!);
        Assert.Equal("choose-organization", Assert.Single(session.Tasks!).Key);
    }

    [Fact]
    public void A_null_actor_gives_no_dictionary()
    {
        var session = Parse("""{"id":"sess_1","actor":null}""");

        Assert.Null(session.Actor);
    }

    [Fact]
    public void Every_recorded_session_parses_with_its_id_status_and_times()
    {
        var sessions = RecordingValues.Recordings
            .Where(recording => recording.Response.Status == 200 && recording.Response.Body.ValueKind == JsonValueKind.Object
                && recording.Response.Body.TryGetProperty("object", out var kind) && kind.GetString() == "session")
            .Select(recording => Parse(recording.Response.Body.GetRawText()))
            .ToList();

        Assert.True(sessions.Count >= 5, $"only {sessions.Count} recorded sessions");
        Assert.All(sessions, session =>
        {
            Assert.StartsWith("sess_", session.Id);
            Assert.False(string.IsNullOrEmpty(session.Status));
            Assert.NotNull(session.CreatedAt);
            Assert.NotNull(session.ExpireAt);
        });
    }

    [Fact]
    public void The_status_list_is_one_list_Clerk_filters_by_every_status_but_pending_and_pending_is_not_finished()
    {
        var documented = typeof(ClerkSessionStatus).GetFields()
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(documented.Where(status => status != ClerkSessionStatus.Pending).Order(StringComparer.Ordinal), ClerkSessionStatus.Filterable.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { ClerkSessionStatus.Active, ClerkSessionStatus.Pending }, documented.Where(status => !ClerkSessionStatus.IsFinished(status)).Order(StringComparer.Ordinal));
        Assert.Equal(ClerkSessionStatus.Revoked, ClerkSessionStatus.AsFilter("REVOKED"));
        Assert.Null(ClerkSessionStatus.AsFilter(ClerkSessionStatus.Pending));
    }
}
