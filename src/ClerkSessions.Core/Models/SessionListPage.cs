using System.Text.Json.Serialization;

namespace ClerkSessions.Core.Models;

/// <summary>One page of <c>GET /sessions</c>. <see cref="TotalCount"/> is known only when the page was asked for with <c>paginated=true</c>.</summary>
public sealed class SessionListPage
{
    public SessionListPage(IReadOnlyList<ClerkSession> sessions, long? totalCount)
    {
        Sessions = sessions;
        TotalCount = totalCount;
    }

    public IReadOnlyList<ClerkSession> Sessions { get; }
    public long? TotalCount { get; }
}

/// <summary>The wire shape of a paginated list: <c>{ "data": [...], "total_count": n }</c>.</summary>
internal sealed class PaginatedSessionList
{
    [JsonPropertyName("data")] public List<ClerkSession>? Data { get; set; }
    [JsonPropertyName("total_count")] public long? TotalCount { get; set; }
}
