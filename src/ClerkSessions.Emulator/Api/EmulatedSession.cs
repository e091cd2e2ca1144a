using System.Text.Json;

namespace ClerkSessions.Emulator.Api;

/// <summary>One session of the emulated instance, written the way the spec's Session schema describes it.</summary>
internal sealed class EmulatedSession
{
    public EmulatedSession(string id, string userId, string clientId, string status, long createdAt, int activityIndex, long nowMs)
    {
        const long Day = 24L * 3600 * 1000;

        // Expiry dates agree with the status: an expired session expired, an abandoned one was abandoned, an hour ago.
        ExpireAt = status == "expired" ? nowMs - (Day / 24) : createdAt + (7 * Day);
        AbandonAt = status == "abandoned" ? nowMs - (Day / 24) : createdAt + (30 * Day);
        Id = id;
        UserId = userId;
        ClientId = clientId;
        Status = status;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        LastActiveAt = createdAt;
        ActivityIndex = activityIndex;
    }

    public string Id { get; }

    public string UserId { get; }

    public string ClientId { get; }

    public string Status { get; set; }

    public string? OrganizationId { get; set; }

    public long CreatedAt { get; }

    public long UpdatedAt { get; set; }

    public long LastActiveAt { get; set; }

    /// <summary>The refresh token the browser holding this session keeps in its <c>__refresh</c> cookie.</summary>
    public string RefreshToken { get; set; } = string.Empty;

    private int ActivityIndex { get; }

    private long ExpireAt { get; }

    private long AbandonAt { get; }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "session");
        writer.WriteString("id", Id);
        writer.WriteString("user_id", UserId);
        writer.WriteString("client_id", ClientId);
        writer.WriteNull("actor");
        writer.WriteString("status", Status);
        if (OrganizationId is null)
        {
            writer.WriteNull("last_active_organization_id");
        }
        else
        {
            writer.WriteString("last_active_organization_id", OrganizationId);
        }

        writer.WriteNumber("last_active_at", LastActiveAt);
        writer.WriteStartObject("latest_activity");
        writer.WriteString("object", "session_activity");
        writer.WriteString("id", "sess_activity_" + Id.Substring(Id.IndexOf('_') + 1));
        writer.WriteString("device_type", ActivityIndex % 2 == 0 ? "Macintosh" : "Windows");
        writer.WriteBoolean("is_mobile", false);
        writer.WriteString("browser_name", ActivityIndex % 3 == 0 ? "Firefox" : "Chrome");
        writer.WriteString("browser_version", ActivityIndex % 3 == 0 ? "133.0" : "131.0.0.0");
        writer.WriteString("ip_address", "203.0.113." + ((ActivityIndex % 250) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("city", ActivityIndex % 2 == 0 ? "Berlin" : "Lisbon");
        writer.WriteString("country", ActivityIndex % 2 == 0 ? "DE" : "PT");
        writer.WriteEndObject();
        writer.WriteNumber("expire_at", ExpireAt);
        writer.WriteNumber("abandon_at", AbandonAt);
        writer.WriteNumber("updated_at", UpdatedAt);
        writer.WriteNumber("created_at", CreatedAt);
        writer.WriteEndObject();
    }
}
