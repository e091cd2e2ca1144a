using System.Text.Json;
using System.Text.Json.Serialization;
using ClerkSessions.Core.Json;

namespace ClerkSessions.Core.Models;

/// <summary>A Clerk session (spec schema <c>Session</c>). Times are Unix milliseconds on the wire.</summary>
public sealed class ClerkSession
{
    [JsonPropertyName("object")] public string? Object { get; set; }
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }

    /// <summary>The raw status; Clerk may add values, so it is a string (see <see cref="ClerkSessionStatus"/>).</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("last_active_organization_id")] public string? LastActiveOrganizationId { get; set; }
    [JsonPropertyName("latest_activity")] public ClerkSessionActivity? LatestActivity { get; set; }
    [JsonPropertyName("tasks")] public List<ClerkSessionTask>? Tasks { get; set; }

    /// <summary>The impersonation actor exactly as Clerk sent it (null when the session is not impersonated).</summary>
    [JsonPropertyName("actor")] public JsonElement? ActorJson { get; set; }

    [JsonPropertyName("last_active_at"), JsonConverter(typeof(LenientInt64Converter))]
    public long? LastActiveAtUnixMs { get; set; }

    [JsonPropertyName("expire_at"), JsonConverter(typeof(LenientInt64Converter))]
    public long? ExpireAtUnixMs { get; set; }

    [JsonPropertyName("abandon_at"), JsonConverter(typeof(LenientInt64Converter))]
    public long? AbandonAtUnixMs { get; set; }

    [JsonPropertyName("updated_at"), JsonConverter(typeof(LenientInt64Converter))]
    public long? UpdatedAtUnixMs { get; set; }

    [JsonPropertyName("created_at"), JsonConverter(typeof(LenientInt64Converter))]
    public long? CreatedAtUnixMs { get; set; }

    /// <summary>Fields this version of the module does not know yet, kept rather than dropped.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

    [JsonIgnore] public IReadOnlyDictionary<string, object?>? Actor => JsonValues.ToDictionary(ActorJson);
    [JsonIgnore] public DateTimeOffset? LastActiveAt => UnixTime.FromMilliseconds(LastActiveAtUnixMs);
    [JsonIgnore] public DateTimeOffset? ExpireAt => UnixTime.FromMilliseconds(ExpireAtUnixMs);
    [JsonIgnore] public DateTimeOffset? AbandonAt => UnixTime.FromMilliseconds(AbandonAtUnixMs);
    [JsonIgnore] public DateTimeOffset? UpdatedAt => UnixTime.FromMilliseconds(UpdatedAtUnixMs);
    [JsonIgnore] public DateTimeOffset? CreatedAt => UnixTime.FromMilliseconds(CreatedAtUnixMs);

    public override string ToString() => Id;
}

/// <summary>The device and place a session was last used from (spec schema <c>SessionActivityResponse</c>).</summary>
public sealed class ClerkSessionActivity
{
    [JsonPropertyName("object")] public string? Object { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("device_type")] public string? DeviceType { get; set; }
    [JsonPropertyName("is_mobile")] public bool IsMobile { get; set; }
    [JsonPropertyName("browser_name")] public string? BrowserName { get; set; }
    [JsonPropertyName("browser_version")] public string? BrowserVersion { get; set; }
    [JsonPropertyName("ip_address")] public string? IpAddress { get; set; }
    [JsonPropertyName("city")] public string? City { get; set; }
    [JsonPropertyName("country")] public string? Country { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>A task the user must complete before the session becomes active (spec schema <c>SessionTask</c>).</summary>
public sealed class ClerkSessionTask
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    public override string ToString() => Key;
}

/// <summary>
/// The status values Clerk documents, the one list of them: which ones <c>GET /sessions</c> filters by, and which a
/// session never leaves. Others may appear; code must not fail on them.
/// </summary>
public static class ClerkSessionStatus
{
    public const string Active = "active";
    public const string Revoked = "revoked";
    public const string Ended = "ended";
    public const string Expired = "expired";
    public const string Removed = "removed";
    public const string Abandoned = "abandoned";
    public const string Replaced = "replaced";
    public const string Pending = "pending";

    /// <summary>The <c>status</c> filter of <c>GET /sessions</c>: every status but <see cref="Pending"/>.</summary>
    public static IReadOnlyList<string> Filterable { get; } = new[] { Abandoned, Active, Ended, Expired, Removed, Replaced, Revoked };

    // Case-insensitive: a status typed or edited by hand (Import-Csv of a reviewed list) reads the same.
    private static readonly HashSet<string> Finished = new(StringComparer.OrdinalIgnoreCase)
    {
        Revoked, Ended, Expired, Removed, Abandoned, Replaced,
    };

    /// <summary>True for statuses a session never leaves: revoking such a session again changes nothing.</summary>
    public static bool IsFinished(string? status) => status is not null && Finished.Contains(status);

    /// <summary>The filter value as Clerk spells it, whatever the case it was typed in; null when Clerk does not filter by it.</summary>
    public static string? AsFilter(string? status) =>
        Filterable.FirstOrDefault(filter => string.Equals(filter, status, StringComparison.OrdinalIgnoreCase));
}
