using System.Globalization;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core;

/// <summary>The filters and window of <c>GET /sessions</c>. Clerk asks for a user id, a client id, or both.</summary>
public sealed class SessionListQuery
{
    public string? UserId { get; set; }
    public string? ClientId { get; set; }
    public SessionListStatus? Status { get; set; }

    /// <summary>Sessions per request, 1–500. Larger pages mean fewer requests against the rate limit.</summary>
    public int Limit { get; set; } = 100;

    /// <summary>How many sessions to skip before the first one returned.</summary>
    public int Offset { get; set; }

    /// <summary>Ask for <c>paginated=true</c>, which makes Clerk report <c>total_count</c> with each page.</summary>
    public bool IncludeTotalCount { get; set; } = true;

    internal List<KeyValuePair<string, string>> ToQuery(int offset)
    {
        if (ClientId is null && UserId is null)
        {
            throw new ClerkInvalidArgumentException("Listing sessions needs a user id, a client id, or both: Clerk no longer lists every session of an instance.", nameof(UserId));
        }

        var query = new List<KeyValuePair<string, string>>();
        Add("client_id", ClerkValidation.OptionalIdentifier(ClientId, "clientId"));
        Add("user_id", ClerkValidation.OptionalIdentifier(UserId, "userId"));
        Add("status", Status?.ToString().ToLowerInvariant());
        Add("paginated", IncludeTotalCount ? "true" : null);
        Add("limit", ClerkValidation.Range(Limit, ClerkValidation.MinListLimit, ClerkValidation.MaxListLimit, nameof(Limit), "The page size (limit)")
            .ToString(CultureInfo.InvariantCulture));
        Add("offset", ClerkValidation.Range(offset, 0, int.MaxValue, nameof(Offset), "The offset").ToString(CultureInfo.InvariantCulture));
        return query;

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(new KeyValuePair<string, string>(name, value));
            }
        }
    }
}
