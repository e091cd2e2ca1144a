using ClerkSessions.Core;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Tests.Core;

/// <summary>Bad arguments fail with a clear message and nothing is sent; no id can change which URL is called.</summary>
public sealed class ValidationTests
{
    public static TheoryData<string?> BadIds => new() { null, "", "   ", "\t", "sess_\u0000x", "sess_a\r\nX-Injected: 1", ".", "..", new string('a', 257) };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Bad_session_ids_are_rejected_before_sending(string? sessionId)
    {
        await using var harness = await Harness.StartAsync();

        var calls = new Func<Task>[]
        {
            () => harness.Client.GetSessionAsync(sessionId!),
            () => harness.Client.RevokeSessionAsync(sessionId!),
            () => harness.Client.CreateSessionTokenAsync(sessionId!),
            () => harness.Client.RefreshSessionAsync(sessionId!, OperationTests.RefreshRequest()),
            () => harness.Client.VerifySessionAsync(sessionId!, "token"),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
            Assert.Equal("sessionId", error.ParamName);
            Assert.Contains("session id", error.Message);
        }

        Assert.Empty(harness.Server.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("..")]
    [InlineData("tmpl\u0007")]
    public async Task Bad_template_names_are_rejected_before_sending(string templateName)
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, templateName));

        Assert.Equal("templateName", error.ParamName);
        Assert.Empty(harness.Server.Requests);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(315360001)]
    public async Task Token_lifetimes_outside_30_to_315360000_seconds_are_rejected(int seconds)
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() => harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, expiresInSeconds: seconds));

        Assert.Equal("expiresInSeconds", error.ParamName);
        Assert.Contains("between 30 and 315360000", error.Message);
        Assert.Empty(harness.Server.Requests);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(501, 0)]
    [InlineData(10, -1)]
    public async Task Limits_outside_1_to_500_and_negative_offsets_are_rejected(int limit, int offset)
    {
        await using var harness = await Harness.StartAsync();

        await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() =>
            harness.Client.GetSessionListPageAsync(new SessionListQuery { UserId = "user_0001", Limit = limit, Offset = offset }));

        Assert.Empty(harness.Server.Requests);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("gone")]
    public async Task A_status_Clerk_does_not_filter_by_is_rejected_naming_the_ones_it_does(string status)
    {
        await using var harness = await Harness.StartAsync();
        var query = new SessionListQuery { UserId = "user_0001", Status = status };

        var error = Assert.Throws<ClerkInvalidArgumentException>(query.Validate);
        await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() => harness.Client.GetSessionListPageAsync(query));

        Assert.Contains("use one of: " + string.Join(", ", ClerkSessionStatus.Filterable), error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Server.Requests);
    }

    [Fact]
    public void Validate_accepts_what_Clerk_accepts_and_refuses_an_offset_beyond_the_largest()
    {
        new SessionListQuery { ClientId = "client_0001", Status = "Revoked", Limit = SessionListQuery.MaxLimit, Offset = SessionListQuery.MaxOffset }.Validate();

        var error = Assert.Throws<ClerkInvalidArgumentException>(new SessionListQuery { UserId = "user_0001", Offset = SessionListQuery.MaxOffset + 1 }.Validate);

        Assert.Equal(nameof(SessionListQuery.Offset), error.ParamName);
    }

    [Fact]
    public async Task Listing_without_a_user_or_client_is_rejected_with_what_to_do()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() => harness.Client.GetSessionListPageAsync(new SessionListQuery()));

        Assert.Contains("user id, a client id, or both", error.Message);
        Assert.Empty(harness.Server.Requests);
    }

    [Fact]
    public async Task Refresh_without_its_required_fields_is_rejected()
    {
        await using var harness = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<ClerkInvalidArgumentException>(() =>
            harness.Client.RefreshSessionAsync(Harness.ActiveSession, new SessionRefreshRequest("expired", "", "https://app.example.com")));

        Assert.Equal("RefreshToken", error.ParamName);
        Assert.Empty(harness.Server.Requests);
    }

    [Theory]
    [InlineData("../users/x", "/v1/sessions/..%2Fusers%2Fx")]
    [InlineData("a?b#c", "/v1/sessions/a%3Fb%23c")]
    [InlineData("sess/../../jwks", "/v1/sessions/sess%2F..%2F..%2Fjwks")]
    [InlineData("sess%2Fx", "/v1/sessions/sess%252Fx")]
    [InlineData("sess x", "/v1/sessions/sess%20x")]
    public async Task Ids_are_escaped_into_one_path_segment(string sessionId, string expectedPath)
    {
        await using var harness = await Harness.StartAsync();

        await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.GetSessionAsync(sessionId));

        var request = harness.SingleRequest();
        Assert.Equal(expectedPath, request.Path);
        Assert.Equal("", request.RawQuery);
    }

    [Fact]
    public async Task Template_names_are_escaped_too()
    {
        await using var harness = await Harness.StartAsync();

        await Assert.ThrowsAsync<ClerkApiException>(() => harness.Client.CreateSessionTokenAsync(Harness.ActiveSession, "../../jwks?x=1"));

        Assert.Equal("/v1/sessions/sess_active_0001/tokens/..%2F..%2Fjwks%3Fx%3D1", harness.SingleRequest().Path);
    }

    [Fact]
    public async Task Query_values_are_escaped()
    {
        await using var harness = await Harness.StartAsync();

        await Assert.ThrowsAsync<ClerkApiException>(() =>
            harness.Client.GetSessionListPageAsync(new SessionListQuery { UserId = "user&status=active", Limit = 10 }));

        var request = harness.SingleRequest();
        Assert.Equal("user_id=user%26status%3Dactive&paginated=true&limit=10&offset=0", request.RawQuery);
        Assert.Contains(new KeyValuePair<string, string>("user_id", "user&status=active"), request.QueryParameters);
    }
}
