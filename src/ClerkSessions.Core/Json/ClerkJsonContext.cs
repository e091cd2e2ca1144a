using System.Text.Json.Serialization;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core.Json;

/// <summary>Source-generated serialization: no reflection at run time, and no shared options with other modules.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ClerkSession))]
[JsonSerializable(typeof(List<ClerkSession>))]
[JsonSerializable(typeof(PaginatedSessionList))]
[JsonSerializable(typeof(ClerkToken))]
[JsonSerializable(typeof(ClerkCookiesBody))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(ClerkErrorBody))]
[JsonSerializable(typeof(CreateSessionBody))]
[JsonSerializable(typeof(RefreshSessionBody))]
[JsonSerializable(typeof(CreateTokenBody))]
[JsonSerializable(typeof(VerifySessionBody))]
[JsonSerializable(typeof(ObjectKind))]
internal sealed partial class ClerkJsonContext : JsonSerializerContext
{
}
