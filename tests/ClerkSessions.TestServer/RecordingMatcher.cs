using System.Text.Json;

namespace ClerkSessions.TestServer;

/// <summary>Finds the recording that answers a request: exact method, path and query; the most specific wins.</summary>
internal static class RecordingMatcher
{
    public static Recording? Match(IReadOnlyList<Recording> recordings, ReceivedRequest request) => recordings
        .Where(recording => Matches(recording.Request, request))
        .OrderByDescending(recording => recording.Request.Headers?.Count ?? 0)
        .ThenByDescending(recording => recording.Request.ComparesBody)
        .ThenBy(recording => recording.Name, StringComparer.Ordinal)
        .FirstOrDefault();

    private static bool Matches(RecordedRequest expected, ReceivedRequest actual) =>
        string.Equals(expected.Method, actual.Method, StringComparison.OrdinalIgnoreCase)
        && string.Equals(expected.Path, actual.Path, StringComparison.Ordinal)
        && QueryMatches(expected.Query, actual.QueryParameters)
        && HeadersMatch(expected.Headers, actual.Headers)
        && BodyMatches(expected, actual.Body);

    private static bool QueryMatches(Dictionary<string, string>? expected, IReadOnlyList<KeyValuePair<string, string>> actual)
    {
        if (expected is null || expected.Count == 0)
        {
            return actual.Count == 0;
        }

        return actual.Count == expected.Count
            && actual.Select(pair => pair.Key).Distinct(StringComparer.Ordinal).Count() == actual.Count
            && actual.All(pair => expected.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    private static bool HeadersMatch(Dictionary<string, string>? expected, IReadOnlyDictionary<string, string> actual) =>
        expected is null || expected.All(header => actual.TryGetValue(header.Key, out var value) && value == header.Value);

    private static bool BodyMatches(RecordedRequest expected, string? actual)
    {
        if (!expected.ComparesBody)
        {
            return true;
        }

        if (expected.Body.ValueKind == JsonValueKind.Null)
        {
            return string.IsNullOrEmpty(actual);
        }

        if (string.IsNullOrEmpty(actual))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(actual);
            return JsonElement.DeepEquals(expected.Body, document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
