using System.Text.Json;

namespace ClerkSessions.Core.Json;

/// <summary>Turns free-form JSON (an actor, an error's meta) into plain .NET values a shell can display and index.</summary>
internal static class JsonValues
{
    public static IReadOnlyDictionary<string, object?>? ToDictionary(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? ToPlainDictionary(value) : null;

    private static Dictionary<string, object?> ToPlainDictionary(JsonElement element)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = ToPlain(property.Value);
        }

        return result;
    }

    private static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToPlainDictionary(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
