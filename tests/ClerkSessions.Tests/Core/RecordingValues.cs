using System.Text.Json;
using ClerkSessions.TestServer;

namespace ClerkSessions.Tests.Core;

/// <summary>Request values the recordings expect (tokens in request bodies), read from the recordings themselves.</summary>
internal static class RecordingValues
{
    private static readonly Lazy<IReadOnlyList<Recording>> All = new(() => Recording.LoadDirectory(Harness.RecordingsDirectory));

    public static string ExpiredToken => RefreshBody().GetProperty("expired_token").GetString()!;
    public static string RefreshToken => RefreshBody().GetProperty("refresh_token").GetString()!;
    public static string RequestOrigin => RefreshBody().GetProperty("request_origin").GetString()!;

    public static string VerifyToken => Successful("VerifySession").Request.Body.GetProperty("token").GetString()!;

    public static IReadOnlyList<Recording> Recordings => All.Value;

    private static JsonElement RefreshBody() =>
        All.Value.First(recording => recording.Operation == "RefreshSession" && recording.Response.Status == 200
            && recording.Request.Body.ValueKind == JsonValueKind.Object && !recording.Request.Body.TryGetProperty("format", out _))
            .Request.Body;

    private static Recording Successful(string operation) =>
        All.Value.First(recording => recording.Operation == operation && recording.Response.Status == 200);
}
