using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ClerkSessions.TestServer;

namespace ClerkSessions.Tests.Server;

/// <summary>The recorded-response server itself: matching, logging, scripting, control endpoints, console entry point.</summary>
public sealed class RecordedResponseServerTests
{
    private static Recording Make(string name, string json) => Recording.Parse(name, json);

    private static readonly Recording Generic = Make("a-generic", """
        {"request":{"method":"GET","path":"/v1/things/1","query":{"a":"1","b":"x y"}},"response":{"status":200,"headers":{"Clerk-Trace-Id":"t1"},"body":{"who":"generic"}}}
        """);

    private static readonly Recording HeaderSpecific = Make("b-header", """
        {"request":{"method":"GET","path":"/v1/things/1","query":{"a":"1","b":"x y"},"headers":{"X-Key":"k"}},"response":{"status":401,"body":{"who":"header"}}}
        """);

    private static readonly Recording NoBody = Make("c-nobody", """
        {"request":{"method":"POST","path":"/v1/things","body":null},"response":{"status":200,"body":{"who":"nobody"}}}
        """);

    private static readonly Recording WithBody = Make("d-body", """
        {"request":{"method":"POST","path":"/v1/things","body":{"n":1,"s":"v"}},"response":{"status":201,"body":{"who":"body"}}}
        """);

    private static readonly Recording Html = Make("e-html", """
        {"request":{"method":"GET","path":"/v1/html"},"response":{"status":502,"bodyText":"<html><title>502</title></html>","contentType":"text/html"}}
        """);

    private static async Task<(RecordedResponseServer Server, HttpClient Http)> StartAsync()
    {
        var server = await RecordedResponseServer.StartAsync(new[] { Generic, HeaderSpecific, NoBody, WithBody, Html });
        return (server, new HttpClient { BaseAddress = server.RootUrl });
    }

    private static async Task<string> Who(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("who").GetString()!;

    [Fact]
    public async Task A_matching_recording_is_served_with_its_status_headers_and_body_and_the_query_order_does_not_matter()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;

        var response = await http.GetAsync("v1/things/1?b=x%20y&a=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("generic", await Who(response));
        Assert.Equal("t1", response.Headers.GetValues("Clerk-Trace-Id").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(127, server.BaseUrl.Host.Split('.').Select(int.Parse).First());
        Assert.EndsWith("/v1/", server.BaseUrl.AbsolutePath);
    }

    [Theory]
    [InlineData("v1/things/1?a=1")]
    [InlineData("v1/things/1?a=1&b=x%20y&c=2")]
    [InlineData("v1/things/1?a=1&a=1&b=x%20y")]
    [InlineData("v1/things/1")]
    [InlineData("v1/things/2?a=1&b=x%20y")]
    public async Task The_query_and_path_must_match_exactly_or_the_answer_is_501_no_recording(string target)
    {
        var (server, http) = await StartAsync();
        await using var _ = server;

        var response = await http.GetAsync(target);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
        Assert.Equal("no_recording", error.GetProperty("code").GetString());
        Assert.Null(Assert.Single(server.Requests).MatchedRecording);
    }

    [Fact]
    public async Task The_recording_with_more_header_constraints_wins()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/things/1?a=1&b=x%20y");
        request.Headers.Add("X-Key", "k");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("header", await Who(response));
        Assert.Equal("b-header", Assert.Single(server.Requests).MatchedRecording);
    }

    [Fact]
    public async Task Bodies_match_as_json_and_an_explicit_null_body_means_none()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;

        var empty = await http.PostAsync("v1/things", null);
        var reordered = await http.PostAsync("v1/things", new StringContent("""{ "s": "v", "n": 1.0 }""", Encoding.UTF8, "application/json"));
        var other = await http.PostAsync("v1/things", new StringContent("""{"n":2,"s":"v"}""", Encoding.UTF8, "application/json"));

        Assert.Equal("nobody", await Who(empty));
        Assert.Equal("body", await Who(reordered));
        Assert.Equal(HttpStatusCode.NotImplemented, other.StatusCode);
    }

    [Fact]
    public async Task Requests_are_logged_raw_with_query_headers_and_body()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/sessions/..%2Fusers%2Fx/revoke?x=a%26b");
        request.Headers.Add("X-Test", "yes");
        request.Content = new StringContent("""{"k":1}""", Encoding.UTF8, "application/json");

        await http.SendAsync(request);

        var received = Assert.Single(server.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/v1/sessions/..%2Fusers%2Fx/revoke", received.Path);
        Assert.Equal("x=a%26b", received.RawQuery);
        Assert.Equal(new KeyValuePair<string, string>("x", "a&b"), Assert.Single(received.QueryParameters));
        Assert.Equal("yes", received.Headers["x-test"]);
        Assert.Equal("""{"k":1}""", received.Body);
    }

    [Fact]
    public async Task Scripted_answers_come_first_in_order_then_the_recordings_answer_again()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        server.Script(
            new ScriptedResponse { Status = 409, Headers = { ["X-Scripted"] = "first" }, Body = """{"who":"first"}""" },
            new ScriptedResponse { ContentType = "text/plain", Body = "second" },
            new ScriptedResponse { Status = 204 });

        var first = await http.GetAsync("v1/things/1?a=1&b=x%20y");
        var second = await http.GetAsync("v1/things/1?a=1&b=x%20y");
        var third = await http.GetAsync("v1/things/1?a=1&b=x%20y");
        var normal = await http.GetAsync("v1/things/1?a=1&b=x%20y");

        Assert.Equal(HttpStatusCode.Conflict, first.StatusCode);
        Assert.Equal("first", first.Headers.GetValues("X-Scripted").Single());
        Assert.Equal("first", await Who(first));
        Assert.Equal("application/json", first.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/plain", second.Content.Headers.ContentType!.MediaType);
        Assert.Equal("second", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, third.StatusCode);
        Assert.Equal("", await third.Content.ReadAsStringAsync());
        Assert.Equal("generic", await Who(normal));
        Assert.Equal(0, server.PendingScriptCount);
        Assert.Equal(new[] { "script", "script", "script", "a-generic" }, server.Requests.Select(request => request.MatchedRecording));
    }

    [Theory]
    [InlineData("""[{"drop":true}]""", "'drop'")]
    [InlineData("""[{"status":200,"delayMs":500}]""", "'delayMs'")]
    [InlineData("""[{"passThrough":true}]""", "'passThrough'")]
    [InlineData("""{"status":429}""", "Not a script")]
    public async Task A_script_asking_for_a_fault_or_malformed_is_refused_and_nothing_is_queued(string script, string expected)
    {
        var (server, http) = await StartAsync();
        await using var _ = server;

        var refused = await http.PostAsync("_test/script", new StringContent(script, Encoding.UTF8, "application/json"));
        var next = await http.GetAsync("v1/things/1?a=1&b=x%20y");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(expected, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, server.PendingScriptCount);
        Assert.Equal("generic", await Who(next));
    }

    [Fact]
    public async Task Control_endpoints_script_list_and_reset_without_being_logged()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;

        var scripted = await http.PostAsync("_test/script", new StringContent("""[{"status":503,"body":{"errors":[]},"headers":{"Retry-After":"2"}},{"bodyText":"<p>x</p>","contentType":"text/html","status":502}]""", Encoding.UTF8, "application/json"));
        var first = await http.GetAsync("v1/html");
        var second = await http.GetAsync("v1/html");
        var log = JsonDocument.Parse(await http.GetStringAsync("_test/requests")).RootElement;
        await http.PostAsync("_test/reset", null);
        var afterReset = JsonDocument.Parse(await http.GetStringAsync("_test/requests")).RootElement;

        Assert.Equal(HttpStatusCode.NoContent, scripted.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("Retry-After").Single());
        Assert.Equal("<p>x</p>", await second.Content.ReadAsStringAsync());
        Assert.Equal(2, log.GetArrayLength());
        Assert.Equal("/v1/html", log[0].GetProperty("path").GetString());
        Assert.Equal("script", log[0].GetProperty("matchedRecording").GetString());
        Assert.Equal(0, afterReset.GetArrayLength());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Loading_a_folder_names_the_file_that_is_malformed()
    {
        var folder = Directory.CreateTempSubdirectory("recordings-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "good.json"), """{"request":{"method":"GET","path":"/v1/x"},"response":{"status":200,"body":{}}}""");
            File.WriteAllText(Path.Combine(folder.FullName, "bad.json"), """{"request":{"method":"GET","path":"/v1/x"},"respons":{}}""");

            var error = Assert.Throws<InvalidDataException>(() => Recording.LoadDirectory(folder.FullName));

            Assert.Contains("bad.json", error.Message);
            File.Delete(Path.Combine(folder.FullName, "bad.json"));
            Assert.Equal("good", Assert.Single(Recording.LoadDirectory(folder.FullName)).Name);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_console_entry_point_prints_its_url_and_serves_the_folder_until_stopped()
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "ClerkSessions.TestServer.dll");
        var urlFile = Path.Combine(Path.GetTempPath(), $"clerk-test-server-{Guid.NewGuid():N}.url");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { serverDll, "--recordings", Path.Combine(AppContext.BaseDirectory, "recordings"), "--url-file", urlFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(line);
            Assert.Matches(@"^Listening on http://127\.0\.0\.1:\d+/v1/$", line);
            var baseUrl = line!["Listening on ".Length..];
            Assert.Equal(baseUrl, File.ReadAllText(urlFile));

            using var http = new HttpClient();
            var session = JsonDocument.Parse(await http.GetStringAsync(baseUrl + "sessions/sess_active_0001")).RootElement;
            Assert.Equal("sess_active_0001", session.GetProperty("id").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(urlFile);
        }
    }

    [Fact]
    public async Task The_console_entry_point_refuses_bad_arguments_with_usage_and_exit_code_2()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClerkSessions.TestServer.dll"));
        start.ArgumentList.Add("--bogus");

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("usage:", error);
    }
}
