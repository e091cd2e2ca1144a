using System.Globalization;
using System.Text.Json;

namespace ClerkSessions.Tests.Spec;

/// <summary>One operation of the vendored Sessions spec (tests/spec/sessions-openapi.json).</summary>
internal sealed record SpecOperation(string OperationId, string Method, string PathTemplate, string SpecVersion, JsonElement Definition);

/// <summary>Checks requests and responses against the vendored extract of Clerk's Sessions spec.</summary>
internal static class SpecConformance
{
    private static readonly Lazy<(JsonDocument Document, List<SpecOperation> Operations, SchemaValidator Validator)> Spec = new(Load);

    public static IReadOnlyList<SpecOperation> Operations => Spec.Value.Operations;

    public static JsonElement Source => Spec.Value.Document.RootElement.GetProperty("source");

    public static SchemaValidator Validator => Spec.Value.Validator;

    /// <summary>The operation for a method and a raw path as sent (with the <c>/v1</c> prefix), or null.</summary>
    public static SpecOperation? Find(string method, string rawPath)
    {
        var path = rawPath.StartsWith("/v1/", StringComparison.Ordinal) ? rawPath[3..] : rawPath;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return Operations.FirstOrDefault(operation =>
        {
            var template = operation.PathTemplate.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase)
                && template.Length == segments.Length
                && template.Zip(segments).All(pair => pair.First.StartsWith('{') ? pair.Second.Length > 0 : pair.First == pair.Second);
        });
    }

    public static IReadOnlyList<string> CheckRequest(string method, string rawPath, IEnumerable<KeyValuePair<string, string>> query, string? body, string? contentType)
    {
        var operation = Find(method, rawPath);
        if (operation is null)
        {
            return new[] { $"{method} {rawPath} is not a Sessions operation of the spec" };
        }

        var violations = new List<string>();
        var parameters = operation.Definition.GetProperty("parameters").EnumerateArray().ToList();
        var queryList = query.ToList();
        foreach (var group in queryList.GroupBy(pair => pair.Key))
        {
            var parameter = parameters.FirstOrDefault(item => item.GetProperty("in").GetString() == "query" && item.GetProperty("name").GetString() == group.Key);
            if (parameter.ValueKind == JsonValueKind.Undefined)
            {
                violations.Add($"query parameter '{group.Key}' is not declared for {operation.OperationId}");
                continue;
            }

            if (group.Count() > 1)
            {
                violations.Add($"query parameter '{group.Key}' appears {group.Count()} times");
            }

            var schema = parameter.GetProperty("schema");
            var typed = TypedValue(schema, group.First().Value);
            if (typed is null)
            {
                violations.Add($"query parameter '{group.Key}' = '{group.First().Value}' is not a {schema.GetProperty("type").GetString()}");
                continue;
            }

            violations.AddRange(Validator.Validate(schema, typed.RootElement, "query." + group.Key));
        }

        foreach (var parameter in parameters.Where(item => item.GetProperty("in").GetString() == "query" && IsTrue(item, "required")))
        {
            if (queryList.All(pair => pair.Key != parameter.GetProperty("name").GetString()))
            {
                violations.Add($"required query parameter '{parameter.GetProperty("name").GetString()}' is missing");
            }
        }

        var requestSchema = operation.Definition.GetProperty("requestBody");
        if (body is null)
        {
            return violations;
        }

        if (requestSchema.ValueKind == JsonValueKind.Null)
        {
            violations.Add($"{operation.OperationId} takes no request body, but one was sent");
            return violations;
        }

        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add($"the body's content type is '{contentType}', not application/json");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            violations.AddRange(Validator.Validate(requestSchema, document.RootElement, "body"));
        }
        catch (JsonException error)
        {
            violations.Add("the body is not JSON: " + error.Message);
        }

        return violations;
    }

    /// <summary>
    /// Checks a response body against the schema the spec gives for its status. With <c>paginated=true</c> Clerk wraps a
    /// list as <c>{data, total_count}</c>, a shape the spec does not spell out: <c>data</c> is then checked against the list schema.
    /// </summary>
    public static IReadOnlyList<string> CheckResponse(SpecOperation operation, int status, JsonElement? body, bool allowUndocumentedStatus, bool paginated = false)
    {
        var responses = operation.Definition.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var schema))
        {
            return allowUndocumentedStatus ? Array.Empty<string>() : new[] { $"status {status} is not documented for {operation.OperationId}" };
        }

        if (schema.ValueKind == JsonValueKind.Null)
        {
            return Array.Empty<string>();
        }

        if (body is not JsonElement json)
        {
            return new[] { $"status {status} of {operation.OperationId} needs a JSON body" };
        }

        if (!paginated || !schema.TryGetProperty("type", out var type) || type.GetString() != "array")
        {
            return Validator.Validate(schema, json, "response");
        }

        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("data", out var data) || !json.TryGetProperty("total_count", out var total))
        {
            return new[] { "response: a paginated list must be an object with 'data' and 'total_count'" };
        }

        var violations = Validator.Validate(schema, data, "response.data");
        if (total.ValueKind != JsonValueKind.Number || !total.TryGetInt64(out var count) || count < 0)
        {
            violations.Add("response.total_count: expected a non-negative integer");
        }

        violations.AddRange(json.EnumerateObject().Where(member => member.Name is not ("data" or "total_count")).Select(member => $"response: unexpected member '{member.Name}'"));
        return violations;
    }

    private static JsonDocument? TypedValue(JsonElement schema, string value)
    {
        var type = schema.TryGetProperty("type", out var declared) ? declared.GetString() : "string";
        return type switch
        {
            "integer" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? JsonDocument.Parse(number.ToString(CultureInfo.InvariantCulture)) : null,
            "boolean" => value is "true" or "false" ? JsonDocument.Parse(value) : null,
            _ => JsonDocument.Parse(JsonSerializer.Serialize(value)),
        };
    }

    private static bool IsTrue(JsonElement element, string name) => element.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static (JsonDocument, List<SpecOperation>, SchemaValidator) Load()
    {
        var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "spec", "sessions-openapi.json")));
        var root = document.RootElement;
        var operations = root.GetProperty("operations").EnumerateArray().Select(item => new SpecOperation(
            item.GetProperty("operationId").GetString()!,
            item.GetProperty("method").GetString()!,
            item.GetProperty("path").GetString()!,
            item.GetProperty("specVersion").GetString()!,
            item)).ToList();
        return (document, operations, new SchemaValidator(root.GetProperty("components")));
    }
}
