using System.Globalization;
using System.Text.Json;

namespace ClerkSessions.Tests.Spec;

/// <summary>
/// Validates JSON against the OpenAPI 3.0 schema subset Clerk's Sessions spec uses: type, nullable, enum,
/// minimum/maximum, required, properties, additionalProperties, items, $ref, oneOf, allOf.
/// </summary>
internal sealed class SchemaValidator
{
    private readonly JsonElement _components;

    public SchemaValidator(JsonElement components) => _components = components;

    public List<string> Validate(JsonElement schema, JsonElement value, string path = "$")
    {
        var violations = new List<string>();
        Check(schema, value, path, violations);
        return violations;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> violations)
    {
        schema = Resolve(schema);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!IsTrue(schema, "nullable") && schema.TryGetProperty("type", out _))
            {
                violations.Add($"{path}: null is not allowed");
            }

            return;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Check(part, value, path, violations);
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matching = oneOf.EnumerateArray().Count(option => Validate(option, value, path).Count == 0);
            if (matching != 1)
            {
                violations.Add($"{path}: matches {matching} of the oneOf schemas, not exactly one");
            }
        }

        if (schema.TryGetProperty("type", out var typeElement) && !HasType(typeElement.GetString()!, value))
        {
            violations.Add($"{path}: expected {typeElement.GetString()}, found {value.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
        {
            violations.Add($"{path}: {value.GetRawText()} is not one of {allowed.GetRawText()}");
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDecimal();
            if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDecimal())
            {
                violations.Add($"{path}: {number} is below the minimum {minimum.GetDecimal()}");
            }

            if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDecimal())
            {
                violations.Add($"{path}: {number} is above the maximum {maximum.GetDecimal()}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(schema, value, path, violations);
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{index++}]", violations);
            }
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> violations)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(item => item.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    violations.Add($"{path}: required member '{name}' is missing");
                }
            }
        }

        var properties = schema.TryGetProperty("properties", out var declared) ? declared : default;
        var additional = schema.TryGetProperty("additionalProperties", out var extra) ? extra : default;
        foreach (var member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
            {
                Check(memberSchema, member.Value, $"{path}.{member.Name}", violations);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                violations.Add($"{path}: member '{member.Name}' is not allowed (additionalProperties: false)");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, member.Value, $"{path}.{member.Name}", violations);
            }
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            // "#/components/schemas/Session" -> components.schemas.Session
            var node = _components;
            foreach (var part in reference.GetString()!.Split('/').Skip(2))
            {
                node = node.GetProperty(part);
            }

            schema = node;
        }

        return schema;
    }

    private static bool IsTrue(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static bool HasType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && decimal.TryParse(value.GetRawText(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        _ => true,
    };
}
