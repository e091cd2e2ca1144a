using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ClerkSessions.Emulator;
using ClerkSessions.Tests.Spec;

namespace ClerkSessions.Tests.Emulator;

/// <summary>Scripted faults as a client sees them: each kind, how many requests they take, which requests they match, in what order, and what the log says.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly EmulatorHost _host = EmulatorHost.Start();

    private ClerkEmulator Emulator => _host.Emulator;

    private Task<HttpResponseMessage> GetSessionAsync(string sessionId) => _host.Http.GetAsync("sessions/" + sessionId);

    private static async Task<HttpStatusCode> StatusOf(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return response.StatusCode;
    }

    [Fact]
    public async Task RateLimited_answers_429_with_Retry_After_in_seconds_then_the_normal_answer()
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 7 });

        using var limited = await GetSessionAsync(session);
        using var normal = await GetSessionAsync(session);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("7", Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.Equal("too_many_requests", EmulatorHost.ErrorCode(await EmulatorHost.ReadJsonAsync(limited)));
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
    }

    [Fact]
    public async Task RateLimited_can_give_Retry_After_as_an_HTTP_date()
    {
        var before = DateTimeOffset.UtcNow;
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterSeconds = 30, RetryAfterFormat = RetryAfterFormat.HttpDate });

        using var limited = await _host.Http.GetAsync("jwks");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var text = Assert.Single(limited.Headers.GetValues("Retry-After"));
        Assert.EndsWith(" GMT", text, StringComparison.Ordinal);
        var date = DateTimeOffset.ParseExact(text, "r", CultureInfo.InvariantCulture);
        Assert.InRange(date, before.AddSeconds(20), DateTimeOffset.UtcNow.AddSeconds(40));
    }

    [Fact]
    public async Task RateLimited_can_leave_Retry_After_out()
    {
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited, RetryAfterFormat = RetryAfterFormat.None });

        using var limited = await _host.Http.GetAsync("jwks");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.False(limited.Headers.Contains("Retry-After"));
        Assert.Equal("too_many_requests", EmulatorHost.ErrorCode(await EmulatorHost.ReadJsonAsync(limited)));
    }

    [Theory]
    [InlineData(null, 500, "internal_clerk_error")]
    [InlineData(500, 500, "internal_clerk_error")]
    [InlineData(503, 503, "service_unavailable")]
    [InlineData(504, 504, "gateway_timeout")]
    [InlineData(404, 404, "resource_not_found")]
    [InlineData(410, 410, "operation_deprecated")]
    [InlineData(401, 401, "authentication_invalid")]
    [InlineData(400, 400, "bad_request")]
    [InlineData(403, 403, "authorization_invalid")]
    [InlineData(422, 422, "form_param_value_invalid")]
    [InlineData(429, 429, "too_many_requests")]
    [InlineData(502, 502, "internal_clerk_error")]
    public async Task Status_answers_a_Clerk_error_envelope_with_that_status(int? asked, int status, string code)
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = asked });

        using var response = await GetSessionAsync(session);
        var body = await EmulatorHost.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(EmulatorConformanceTests.ValidateErrors(body));
        Assert.Equal(code, EmulatorHost.ErrorCode(body));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("clerk_trace_id").GetString()));
    }

    [SharedSpecFact]
    public void The_codes_of_Status_faults_are_in_Clerks_catalogue_with_their_status()
    {
        var known = EmulatorConformanceTests.CatalogueCodes();
        var codes = new Dictionary<int, string>
        {
            [400] = "bad_request", [401] = "authentication_invalid", [403] = "authorization_invalid", [404] = "resource_not_found", [410] = "operation_deprecated",
            [422] = "form_param_value_invalid", [429] = "too_many_requests", [500] = "internal_clerk_error", [503] = "service_unavailable", [504] = "gateway_timeout",
        };

        Assert.All(codes, pair => Assert.Contains((pair.Value, pair.Key), known));
    }

    [Theory]
    [InlineData(null, 502)]
    [InlineData(504, 504)]
    public async Task HtmlPage_answers_a_proxy_error_page_as_text_html(int? asked, int status)
    {
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.HtmlPage, StatusCode = asked });

        using var response = await _host.Http.GetAsync("jwks");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<html>", text, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task DropConnection_breaks_the_request_and_is_logged_with_status_0()
    {
        // HttpClient sends a request again (up to three times) when a connection closes before any answer: drop them all.
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection, Count = 10 });
        using var fresh = _host.FreshClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("jwks"));

        var requests = Emulator.GetRequests();
        Assert.NotEmpty(requests);
        Assert.All(requests, request => Assert.Equal((0, (EmulatorFaultKind?)EmulatorFaultKind.DropConnection), (request.StatusCode, request.Fault)));
        Assert.Equal(10 - requests.Count, Assert.Single(Emulator.PendingFaults).Remaining);
    }

    [Fact]
    public async Task DropConnection_closes_the_connection_without_a_byte_then_the_next_request_is_answered()
    {
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.DropConnection });
        using var dropped = await RawConnection.OpenAsync(Emulator.Port);
        using var next = await RawConnection.OpenAsync(Emulator.Port);

        await dropped.SendAsync(RawConnection.Get("/v1/jwks", _host.Key));
        var closed = await dropped.ClosedByServerAsync();
        await next.SendAsync(RawConnection.Get("/v1/jwks", _host.Key));

        Assert.True(closed);
        Assert.Equal(200, (await next.ReadResponseAsync()).Status);
        Assert.Equal(new[] { 0, 200 }, Emulator.GetRequests().Select(request => request.StatusCode));
        Assert.Empty(Emulator.PendingFaults);
    }

    [Fact]
    public async Task TruncatedBody_breaks_the_body_after_the_side_effect_happened()
    {
        var session = await _host.SessionIdAsync();
        Emulator.Reset();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.TruncatedBody, Operation = new[] { "RevokeSession" } });
        using var fresh = _host.FreshClient();

        using var response = await fresh.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"sessions/{session}/revoke"), HttpCompletionOption.ResponseHeadersRead);
        var reading = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync());
        var (_, after) = await _host.GetJsonAsync("sessions/" + session);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(reading is IOException or HttpRequestException, $"reading the body gave {reading?.GetType().Name ?? "no exception"}");
        Assert.Equal("revoked", after.GetProperty("status").GetString());
        var revoke = Emulator.GetRequests()[0];
        Assert.Equal((EmulatorFaultKind?)EmulatorFaultKind.TruncatedBody, revoke.Fault);
        Assert.Equal(200, revoke.StatusCode);
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData(500, 500)]
    public async Task MalformedJson_answers_a_JSON_content_type_with_a_body_that_does_not_parse(int? asked, int status)
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.MalformedJson, StatusCode = asked });

        using var response = await GetSessionAsync(session);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Theory]
    [InlineData(null, 200)]
    [InlineData(503, 503)]
    public async Task EmptyBody_answers_a_JSON_content_type_with_no_body(int? asked, int status)
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.EmptyBody, StatusCode = asked });

        using var response = await GetSessionAsync(session);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Slow_delays_the_normal_answer()
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        var (status, body) = await _host.GetJsonAsync("sessions/" + session);
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(session, body.GetProperty("id").GetString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"answered after {clock.Elapsed}");
        Assert.Equal((EmulatorFaultKind?)EmulatorFaultKind.Slow, Emulator.GetRequests()[^1].Fault);
    }

    [Fact]
    public async Task Count_requests_get_the_fault_then_the_normal_answer_returns()
    {
        var session = await _host.SessionIdAsync();
        var fault = new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503, Count = 2 };
        Emulator.AddFault(fault);

        var remaining = new List<int> { Emulator.PendingFaults.Single().Remaining };
        var statuses = new List<HttpStatusCode> { await StatusOf(GetSessionAsync(session)) };
        remaining.Add(Emulator.PendingFaults.Single().Remaining);
        statuses.Add(await StatusOf(GetSessionAsync(session)));
        statuses.Add(await StatusOf(GetSessionAsync(session)));

        Assert.Equal(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK }, statuses);
        Assert.Equal(new[] { 2, 1 }, remaining);
        Assert.Empty(Emulator.PendingFaults);
    }

    [Theory]
    [InlineData("RevokeSession")]
    [InlineData("revokesession")]
    public async Task A_fault_for_an_operation_leaves_other_operations_alone(string operation)
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503, Operation = new[] { operation } });

        var get = await StatusOf(GetSessionAsync(session));
        var jwks = await StatusOf(_host.Http.GetAsync("jwks"));
        var revoke = await StatusOf(_host.PostAsync($"sessions/{session}/revoke"));
        var revokeAgain = await StatusOf(_host.PostAsync($"sessions/{session}/revoke"));

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK }, new[] { get, jwks, revoke, revokeAgain });
    }

    [Fact]
    public async Task A_fault_for_several_operations_applies_to_each()
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 504, Operation = new[] { "GetJWKS", "GetSession" }, Count = 2 });

        var list = await StatusOf(_host.Http.GetAsync("sessions?user_id=" + _host.UserIds[0]));
        var jwks = await StatusOf(_host.Http.GetAsync("jwks"));
        var get = await StatusOf(GetSessionAsync(session));

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.GatewayTimeout, HttpStatusCode.GatewayTimeout }, new[] { list, jwks, get });
    }

    [Fact]
    public async Task A_path_pattern_with_star_and_question_mark_picks_the_requests_it_matches()
    {
        var sessions = (await _host.AllSessionsAsync()).Select(session => session.GetProperty("id").GetString()!).ToList();
        var target = sessions[0];
        var other = sessions.First(id => !id.StartsWith(target[..12], StringComparison.Ordinal));
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503, Path = $"/v1/sessions/{target[..12]}*", Count = 2 });
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 504, Path = $"/v1/sessions/{other[..^1]}?" });

        var statuses = new[]
        {
            await StatusOf(GetSessionAsync(target)),
            await StatusOf(_host.PostAsync($"sessions/{target}/revoke")),
            await StatusOf(GetSessionAsync(target)),
            await StatusOf(_host.PostAsync($"sessions/{other}/revoke")),
            await StatusOf(GetSessionAsync(other)),
        };

        Assert.Equal(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.GatewayTimeout }, statuses);
    }

    [Fact]
    public async Task Operation_and_path_must_both_match()
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503, Operation = new[] { "RevokeSession" }, Path = $"/v1/sessions/{session}*" });

        var get = await StatusOf(GetSessionAsync(session));
        var revoke = await StatusOf(_host.PostAsync($"sessions/{session}/revoke"));

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }, new[] { get, revoke });
    }

    [Fact]
    public async Task Faults_apply_in_the_order_they_were_added_each_to_the_first_request_it_matches()
    {
        var session = await _host.SessionIdAsync();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 500, Operation = new[] { "GetJWKS" } });
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503 });
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 504 });

        var statuses = new[]
        {
            await StatusOf(GetSessionAsync(session)),
            await StatusOf(_host.Http.GetAsync("jwks")),
            await StatusOf(_host.Http.GetAsync("jwks")),
            await StatusOf(_host.Http.GetAsync("jwks")),
        };

        Assert.Equal(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.GatewayTimeout, HttpStatusCode.OK }, statuses);
    }

    [Fact]
    public async Task Faults_come_before_the_key_and_the_rate_limit_are_checked()
    {
        var list = "sessions?user_id=" + _host.UserIds[0];
        Emulator.SetRateLimit(1, TimeSpan.FromHours(1));
        var spending = await StatusOf(_host.Http.GetAsync(list));
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503, Count = 2 });
        using var anonymous = _host.Anonymous();

        var withoutKey = await StatusOf(anonymous.GetAsync(list));
        var overLimit = await StatusOf(_host.Http.GetAsync(list));
        var afterFaults = await StatusOf(_host.Http.GetAsync(list));

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests }, new[] { spending, withoutKey, overLimit, afterFaults });
        Assert.Equal(new[] { true, false, false, true }, Emulator.GetRequests().TakeLast(4).Select(request => request.KeyAccepted));
    }

    [Fact]
    public async Task The_request_log_records_each_fault_and_status_in_order()
    {
        Emulator.Reset();
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Status, StatusCode = 503 });
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.HtmlPage });
        Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.RateLimited });

        for (var index = 0; index < 4; index++)
        {
            using var response = await _host.Http.GetAsync("jwks");
        }

        var requests = Emulator.GetRequests();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, requests.Select(request => request.Sequence));
        Assert.Equal(new EmulatorFaultKind?[] { EmulatorFaultKind.Status, EmulatorFaultKind.HtmlPage, EmulatorFaultKind.RateLimited, null }, requests.Select(request => request.Fault));
        Assert.Equal(new[] { 503, 502, 429, 200 }, requests.Select(request => request.StatusCode));
        Assert.All(requests, request => Assert.Equal("GetJWKS", request.Operation));
    }

    [Fact]
    public void A_fault_that_cannot_happen_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Emulator.AddFault(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.AddFault(new EmulatorFault { Count = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.AddFault(new EmulatorFault { StatusCode = 99 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.FromSeconds(-1) }));
        Assert.Empty(Emulator.PendingFaults);
    }

    public void Dispose() => _host.Dispose();
}
