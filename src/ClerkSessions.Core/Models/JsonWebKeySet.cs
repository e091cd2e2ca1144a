using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClerkSessions.Core.Models;

/// <summary>The instance's public keys (spec schema <c>JWKS</c>), for verifying session tokens locally.</summary>
public sealed class JsonWebKeySet
{
    [JsonPropertyName("keys")] public List<JsonWebKey> Keys { get; set; } = new();
}

/// <summary>One key of a <see cref="JsonWebKeySet"/>; which members are set depends on <see cref="Kty"/>.</summary>
public sealed class JsonWebKey
{
    [JsonPropertyName("kid")] public string? Kid { get; set; }
    [JsonPropertyName("alg")] public string? Alg { get; set; }
    [JsonPropertyName("use")] public string? Use { get; set; }
    [JsonPropertyName("kty")] public string? Kty { get; set; }
    [JsonPropertyName("n")] public string? N { get; set; }
    [JsonPropertyName("e")] public string? E { get; set; }
    [JsonPropertyName("crv")] public string? Crv { get; set; }
    [JsonPropertyName("x")] public string? X { get; set; }
    [JsonPropertyName("y")] public string? Y { get; set; }
    [JsonPropertyName("x5c")] public List<string>? X5c { get; set; }
    [JsonPropertyName("x5t")] public string? X5t { get; set; }
    [JsonPropertyName("x5t#S256")] public string? X5tS256 { get; set; }
    [JsonPropertyName("x5u")] public string? X5u { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalFields { get; set; }

    public override string ToString() => $"{Kty} {Alg} {Kid}";
}
