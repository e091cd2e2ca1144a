using System.Text;
using System.Text.Json;

namespace ClerkSessions.Benchmarks;

/// <summary>
/// A <c>GET /sessions?paginated=true</c> answer as Clerk sends it: the spec's Session schema (2026-05-12) field by
/// field, in the order of the recordings in tests/recordings, with Clerk-shaped ids. Deterministic for a given size.
/// </summary>
internal static class SessionListJson
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Statuses = { "active", "revoked", "ended", "expired", "removed", "abandoned", "replaced" };

    public static byte[] Paginated(int count, bool paginated = true)
    {
        var random = new Random(count);
        var userId = "user_" + Id(random);
        var clients = new[] { "client_" + Id(random), "client_" + Id(random) };
        var now = 1_796_050_256_179L;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (paginated)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("data");
            }
            else
            {
                writer.WriteStartArray();
            }

            for (var i = 0; i < count; i++)
            {
                var id = Id(random);
                var lastActive = now - (i * 60_000L);
                writer.WriteStartObject();
                writer.WriteString("object", "session");
                writer.WriteString("id", "sess_" + id);
                writer.WriteString("user_id", userId);
                writer.WriteString("client_id", clients[i % 2]);
                writer.WriteNull("actor");
                writer.WriteString("status", i < (count + 1) / 2 ? "active" : Statuses[i % Statuses.Length]);
                writer.WriteNull("last_active_organization_id");
                writer.WriteNumber("last_active_at", lastActive);
                writer.WriteStartObject("latest_activity");
                writer.WriteString("object", "session_activity");
                writer.WriteString("id", "sess_activity_" + id);
                writer.WriteString("device_type", i % 3 == 0 ? "iPhone" : "Macintosh");
                writer.WriteBoolean("is_mobile", i % 3 == 0);
                writer.WriteString("browser_name", "Chrome");
                writer.WriteString("browser_version", "131.0.0.0");
                writer.WriteString("ip_address", "203.0.113." + (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("city", "Berlin");
                writer.WriteString("country", "DE");
                writer.WriteEndObject();
                writer.WriteNumber("expire_at", lastActive + (7 * 86_400_000L));
                writer.WriteNumber("abandon_at", lastActive + (30 * 86_400_000L));
                writer.WriteNumber("updated_at", lastActive + 1_000);
                writer.WriteNumber("created_at", lastActive);
                writer.WriteStartArray("tasks");
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (paginated)
            {
                writer.WriteNumber("total_count", count);
                writer.WriteEndObject();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The 27 characters after a Clerk prefix (sess_, user_, client_).</summary>
    private static string Id(Random random)
    {
        var id = new StringBuilder(27).Append('2');
        for (var i = 1; i < 27; i++)
        {
            id.Append(Base62[random.Next(Base62.Length)]);
        }

        return id.ToString();
    }
}
