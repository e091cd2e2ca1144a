using System.Text;
using System.Text.Json;
using ClerkSessions.Core.Json;

namespace ClerkSessions.Core.Tokens;

/// <summary>Reads a JWT's payload without checking it: for display only, never for trust decisions.</summary>
internal static class JwtPayload
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static JsonElement? TryRead(string jwt)
    {
        var parts = jwt.Split('.');
        return parts.Length == 3 ? TryReadObject(parts[1]) : null;
    }

    /// <summary>A JWT part (header or payload): strict base64url of a JSON object; null when it is anything else.</summary>
    public static JsonElement? TryReadObject(string part)
    {
        if (!Base64Url.TryDecode(part, out var json))
        {
            return null;
        }

        try
        {
            // Decoded strictly first: JsonDocument leaves some invalid UTF-8 to be found when a name is read.
            using var document = JsonDocument.Parse(StrictUtf8.GetString(json));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A NumericDate claim (seconds since the epoch) as a time; null when absent or not a number in range.</summary>
    public static DateTimeOffset? Time(JsonElement payload, string claim) => TryTime(payload, claim, out var time) ? time : null;

    /// <summary>
    /// False when the claim is present but not a whole number of seconds that <see cref="DateTimeOffset"/> can hold;
    /// otherwise true, with null for an absent claim.
    /// </summary>
    public static bool TryTime(JsonElement payload, string claim, out DateTimeOffset? time)
    {
        time = null;
        if (!payload.TryGetProperty(claim, out var value))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds <= long.MaxValue / 1000 && seconds >= long.MinValue / 1000)
        {
            time = UnixTime.FromMilliseconds(seconds * 1000);
        }

        return time is not null;
    }
}
