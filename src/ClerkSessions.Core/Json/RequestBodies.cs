using System.Text.Json.Serialization;

namespace ClerkSessions.Core.Json;

// Wire shapes of the request bodies, exactly as the spec names their members.

internal sealed class CreateSessionBody
{
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";

    [JsonPropertyName("active_organization_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActiveOrganizationId { get; set; }
}

internal sealed class RefreshSessionBody
{
    [JsonPropertyName("expired_token")] public string ExpiredToken { get; set; } = "";
    [JsonPropertyName("refresh_token")] public string RefreshToken { get; set; } = "";
    [JsonPropertyName("request_origin")] public string RequestOrigin { get; set; } = "";

    [JsonPropertyName("request_headers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string[]>? RequestHeaders { get; set; }

    [JsonPropertyName("format"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Format { get; set; }

    [JsonPropertyName("request_originating_ip"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestOriginatingIp { get; set; }
}

internal sealed class CreateTokenBody
{
    [JsonPropertyName("expires_in_seconds")] public int ExpiresInSeconds { get; set; }
}

internal sealed class VerifySessionBody
{
    [JsonPropertyName("token")] public string Token { get; set; } = "";
}

/// <summary>Just enough of a refresh answer to tell a token from cookies.</summary>
internal sealed class ObjectKind
{
    [JsonPropertyName("object")] public string? Object { get; set; }
}
