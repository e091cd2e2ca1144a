using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClerkSessions.TestServer;

/// <summary>One recorded exchange: a <c>tests/recordings/*.json</c> file (format in docs/recordings.md).</summary>
public sealed class Recording
{
    private static readonly JsonSerializerOptions FileOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The file name without <c>.json</c>.</summary>
    [JsonIgnore] public string Name { get; set; } = "";

    public string? Description { get; set; }
    public string? Operation { get; set; }
    public string? SpecVersion { get; set; }
    public RecordedRequest Request { get; set; } = new();
    public RecordedResponse Response { get; set; } = new();

    public static Recording Parse(string name, string json)
    {
        var recording = JsonSerializer.Deserialize<Recording>(json, FileOptions)
            ?? throw new InvalidDataException($"Recording '{name}' is empty.");
        if (string.IsNullOrEmpty(recording.Request.Method) || !recording.Request.Path.StartsWith('/'))
        {
            throw new InvalidDataException($"Recording '{name}' needs request.method and a request.path starting with '/'.");
        }

        recording.Name = name;
        return recording;
    }

    public static IReadOnlyList<Recording> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The recordings folder '{directory}' does not exist.");
        }

        return Directory.GetFiles(directory, "*.json")
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path =>
            {
                var name = Path.GetFileNameWithoutExtension(path);
                try
                {
                    return Parse(name, File.ReadAllText(path));
                }
                catch (JsonException error)
                {
                    throw new InvalidDataException($"Recording '{Path.GetFileName(path)}' is not valid: {error.Message}", error);
                }
            })
            .ToList();
    }

    public override string ToString() => $"{Name}: {Request.Method} {Request.Path} -> {Response.Status}";
}

public sealed class RecordedRequest
{
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";

    /// <summary>Null: the request must carry no query string.</summary>
    public Dictionary<string, string>? Query { get; set; }

    public Dictionary<string, string>? Headers { get; set; }

    /// <summary><see cref="JsonValueKind.Undefined"/> when absent (not compared); <see cref="JsonValueKind.Null"/> means "no body".</summary>
    public JsonElement Body { get; set; }

    [JsonIgnore] public bool ComparesBody => Body.ValueKind != JsonValueKind.Undefined;
}

public sealed class RecordedResponse
{
    public int Status { get; set; } = 200;
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>A JSON body (<see cref="JsonValueKind.Undefined"/> when the recording uses <see cref="BodyText"/> or has none).</summary>
    public JsonElement Body { get; set; }

    public string? BodyText { get; set; }
    public string? ContentType { get; set; }
}
