using ClerkSessions.Core;
using ClerkSessions.Core.Models;
using ClerkSessions.Tests.Spec;

namespace ClerkSessions.Tests.Core;

/// <summary>Every request the client sends, for every operation and option, conforms to the spec's parameters and schemas.</summary>
public sealed class ClientConformanceTests
{
    [Fact]
    public async Task Every_request_the_client_sends_conforms_to_the_spec()
    {
        await using var harness = await Harness.StartAsync();
        var client = harness.Client;
        var cookieRefresh = OperationTests.RefreshRequest();
        cookieRefresh.Format = SessionRefreshFormat.Cookie;
        cookieRefresh.RequestOriginatingIp = "203.0.113.7";
        cookieRefresh.RequestHeaders = new Dictionary<string, string[]> { ["User-Agent"] = new[] { "Mozilla/5.0" } };

        var calls = new Func<Task>[]
        {
            () => client.GetSessionListPageAsync(new SessionListQuery { UserId = "user_paged_0001", Limit = 2 }),
            () => client.GetSessionListPageAsync(new SessionListQuery { ClientId = "client_0001", UserId = "user_0001", Status = ClerkSessionStatus.Revoked, Limit = 500, Offset = 1000, Paginated = false }),
            () => client.GetSessionListPageAsync(new SessionListQuery { ClientId = "client_0001", Status = ClerkSessionStatus.Abandoned, Limit = 1 }),
            () => client.CreateSessionAsync("user_0001"),
            () => client.CreateSessionAsync("user_0001", "org_0001"),
            () => client.GetSessionAsync(Harness.ActiveSession),
            () => client.RefreshSessionAsync(Harness.ActiveSession, OperationTests.RefreshRequest()),
            () => client.RefreshSessionAsync(Harness.ActiveSession, cookieRefresh),
            () => client.RevokeSessionAsync(Harness.ActiveSession),
            () => client.CreateSessionTokenAsync(Harness.ActiveSession),
            () => client.CreateSessionTokenAsync(Harness.ActiveSession, expiresInSeconds: 30),
            () => client.CreateSessionTokenAsync(Harness.ActiveSession, expiresInSeconds: 315360000),
            () => client.CreateSessionTokenAsync(Harness.ActiveSession, "custom_hasura", 600),
            () => client.VerifySessionAsync(Harness.ActiveSession, OperationTests.RecordedVerifyToken),
            () => client.GetJwksAsync(),
        };
        foreach (var call in calls)
        {
            try
            {
                await call();
            }
            catch (ClerkApiException)
            {
                // Not every combination has a recording; the request is what is checked here.
            }
        }

        var requests = harness.Server.Requests;
        Assert.Equal(calls.Length, requests.Count);
        foreach (var request in requests)
        {
            request.Headers.TryGetValue("Content-Type", out var contentType);
            var violations = SpecConformance.CheckRequest(request.Method, request.Path, request.QueryParameters, request.Body, contentType);
            Assert.True(violations.Count == 0, $"{request.Method} {request.Path}?{request.RawQuery} {request.Body}: {string.Join("; ", violations)}");
        }
    }

    [Fact]
    public void The_conformance_check_itself_catches_a_nonconforming_request()
    {
        var violations = SpecConformance.CheckRequest("GET", "/v1/sessions", new[] { new KeyValuePair<string, string>("limit", "501"), new KeyValuePair<string, string>("status", "pending") }, null, null);

        Assert.Contains(violations, violation => violation.Contains("limit"));
        Assert.Contains(violations, violation => violation.Contains("status"));
    }
}
