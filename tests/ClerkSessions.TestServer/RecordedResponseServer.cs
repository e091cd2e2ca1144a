using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClerkSessions.TestServer;

/// <summary>
/// Replays recorded Clerk exchanges over real HTTP on 127.0.0.1, records every request it receives, and serves scripted
/// answers first when a test queues them (bodies of its own; faults come from the emulator). Control endpoints under
/// <c>/_test/</c> give the same powers to Pester.
/// </summary>
public sealed class RecordedResponseServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web);
    private readonly WebApplication _app;
    private readonly IReadOnlyList<Recording> _recordings;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();

    private RecordedResponseServer(WebApplication app, IReadOnlyList<Recording> recordings)
    {
        _app = app;
        _recordings = recordings;
    }

    public Uri RootUrl { get; private set; } = null!;
    public Uri BaseUrl => new(RootUrl, "v1/");

    /// <summary>Oldest first; control calls are not included.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public int PendingScriptCount => _script.Count;

    public static Task<RecordedResponseServer> StartAsync(string recordingsDirectory, CancellationToken cancellationToken = default) =>
        StartAsync(Recording.LoadDirectory(recordingsDirectory), port: 0, cancellationToken);

    public static Task<RecordedResponseServer> StartAsync(IEnumerable<Recording> recordings, CancellationToken cancellationToken = default) =>
        StartAsync(recordings, port: 0, cancellationToken);

    public static async Task<RecordedResponseServer> StartAsync(IEnumerable<Recording> recordings, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new RecordedResponseServer(app, recordings.ToList());
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.RootUrl = new Uri(new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), "/");
        return server;
    }

    public void ClearRequests() => _requests.Clear();

    public void Script(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = await ReadAsync(context);
        if (received.Path.StartsWith("/_test/", StringComparison.Ordinal))
        {
            await HandleControlAsync(context, received);
            return;
        }

        _requests.Enqueue(received);
        if (_script.TryDequeue(out var scripted))
        {
            received.MatchedRecording = "script";
            await WriteAsync(context, scripted.Status, scripted.Headers, scripted.ContentType, scripted.Body);
            return;
        }

        var recording = RecordingMatcher.Match(_recordings, received);
        if (recording is null)
        {
            received.MatchedRecording = null;
            await WriteAsync(context, 501, null, "application/json", NoRecording(received));
            return;
        }

        received.MatchedRecording = recording.Name;
        var response = recording.Response;
        var body = response.Body.ValueKind != JsonValueKind.Undefined ? response.Body.GetRawText() : response.BodyText;
        var contentType = response.Body.ValueKind != JsonValueKind.Undefined ? "application/json" : response.ContentType ?? "text/plain";
        await WriteAsync(context, response.Status, response.Headers, contentType, body);
    }

    /// <summary>A Clerk-shaped error, so a missing recording is never mistaken for a real Clerk answer.</summary>
    private static string NoRecording(ReceivedRequest received) => JsonSerializer.Serialize(new
    {
        errors = new[]
        {
            new { code = "no_recording", message = "no recording matches", long_message = $"The test server has no recording for {received.Method} {received}." },
        },
        clerk_trace_id = "test_server",
    });

    private async Task HandleControlAsync(HttpContext context, ReceivedRequest request)
    {
        switch (request.Method, request.Path)
        {
            case ("GET", "/_test/requests"):
                var log = Requests.Select(item => new
                {
                    method = item.Method,
                    path = item.Path,
                    rawQuery = item.RawQuery,
                    query = item.QueryParameters.GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value),
                    headers = item.Headers,
                    body = item.Body,
                    matchedRecording = item.MatchedRecording,
                    receivedAt = item.ReceivedAt,
                });
                await WriteAsync(context, 200, null, "application/json", JsonSerializer.Serialize(log, ControlJson));
                return;
            case ("DELETE", "/_test/requests"):
                ClearRequests();
                context.Response.StatusCode = 204;
                return;
            case ("POST", "/_test/script"):
                ScriptedResponse[] script;
                try
                {
                    script = ParseScript(request.Body ?? "[]");
                }
                catch (Exception error) when (error is JsonException or InvalidDataException or InvalidOperationException)
                {
                    await WriteAsync(context, 400, null, "text/plain", "Not a script: " + error.Message);
                    return;
                }

                Script(script);
                context.Response.StatusCode = 204;
                return;
            case ("POST", "/_test/reset"):
                ClearRequests();
                _script.Clear();
                context.Response.StatusCode = 204;
                return;
            default:
                await WriteAsync(context, 404, null, "text/plain", $"Unknown control endpoint {request.Method} {request.Path}.");
                return;
        }
    }

    private static readonly HashSet<string> ScriptMembers = new(StringComparer.Ordinal) { "status", "headers", "body", "bodyText", "contentType" };

    /// <summary>
    /// The JSON form of a script: <c>[{status, headers, body, bodyText, contentType}]</c>. Anything else is refused,
    /// so a script asking for a fault (a delay, a dropped connection) fails loudly: faults come from the emulator.
    /// </summary>
    internal static ScriptedResponse[] ParseScript(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(item =>
        {
            var unknown = item.EnumerateObject().Select(member => member.Name).FirstOrDefault(name => !ScriptMembers.Contains(name));
            if (unknown is not null)
            {
                throw new InvalidDataException($"'{unknown}' is not a member of a scripted answer ({string.Join(", ", ScriptMembers)}); faults come from the Clerk emulator.");
            }

            var scripted = new ScriptedResponse
            {
                Status = item.TryGetProperty("status", out var status) ? status.GetInt32() : 200,
                ContentType = item.TryGetProperty("contentType", out var type) ? type.GetString() ?? "application/json" : "application/json",
            };
            if (item.TryGetProperty("bodyText", out var bodyText))
            {
                scripted.Body = bodyText.GetString();
            }
            else if (item.TryGetProperty("body", out var body))
            {
                scripted.Body = body.GetRawText();
            }

            if (item.TryGetProperty("headers", out var headers))
            {
                foreach (var header in headers.EnumerateObject())
                {
                    scripted.Headers[header.Name] = header.Value.ToString();
                }
            }

            return scripted;
        }).ToArray();
    }

    private static async Task<ReceivedRequest> ReadAsync(HttpContext context)
    {
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var queryStart = rawTarget.IndexOf('?');
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => string.Join(", ", header.Value.ToArray()), StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        return new ReceivedRequest(context.Request.Method, path, rawQuery, headers, body.Length == 0 ? null : body);
    }

    private static async Task WriteAsync(HttpContext context, int status, IReadOnlyDictionary<string, string>? headers, string contentType, string? body)
    {
        context.Response.StatusCode = status;
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        if (!string.IsNullOrEmpty(body))
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }
}
