using System.Text.Json;
using System.Text.Json.Serialization;
using ClerkSessions.Core.Json;

namespace ClerkSessions.Core.Models;

/// <summary>One entry of Clerk's <c>errors</c> array (spec schema <c>ClerkError</c>).</summary>
public sealed class ClerkError
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("long_message")] public string? LongMessage { get; set; }
    [JsonPropertyName("meta")] public JsonElement? MetaJson { get; set; }

    [JsonIgnore] public IReadOnlyDictionary<string, object?>? Meta => JsonValues.ToDictionary(MetaJson);

    public override string ToString() => $"{Code}: {LongMessage ?? Message}";
}

/// <summary>Clerk's error body (spec schema <c>ClerkErrors</c>).</summary>
internal sealed class ClerkErrorBody
{
    [JsonPropertyName("errors")] public List<ClerkError>? Errors { get; set; }
    [JsonPropertyName("clerk_trace_id")] public string? ClerkTraceId { get; set; }
}
