using System.Globalization;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Core;

/// <summary>
/// What <c>GET /sessions</c> is asked for: the filters, the page size and where to start. Clerk asks for a user id, a
/// client id, or both; <see cref="Validate()"/> is the one place that says what else it accepts.
/// </summary>
public sealed class SessionListQuery
{
    public const int DefaultLimit = 100;
    public const int MinLimit = 1;
    public const int MaxLimit = 500;
    public const long MaxOffset = int.MaxValue;

    public string? UserId { get; set; }
    public string? ClientId { get; set; }

    /// <summary>One of <see cref="ClerkSessionStatus.Filterable"/>, in any case; null for every status.</summary>
    public string? Status { get; set; }

    /// <summary>Sessions per request, 1–500. Larger pages mean fewer requests against the rate limit.</summary>
    public int Limit { get; set; } = DefaultLimit;

    /// <summary>How many sessions to skip before the first one returned (0 to <see cref="MaxOffset"/>).</summary>
    public long Offset { get; set; }

    /// <summary>Sends <c>paginated=true</c>: Clerk then answers <c>{data, total_count}</c> rather than a bare array.</summary>
    public bool Paginated { get; set; } = true;

    /// <summary>Whether the query names whom to list: Clerk lists the sessions of a user or a client, never all of an instance's.</summary>
    public bool NamesUserOrClient => UserId is not null || ClientId is not null;

    /// <summary>Refuses what Clerk would not accept, before anything is sent.</summary>
    /// <exception cref="ClerkInvalidArgumentException">The query names no user or client, or a value is out of what Clerk accepts.</exception>
    public void Validate() => Validate(Offset);

    internal List<KeyValuePair<string, string>> ToQuery(long offset)
    {
        Validate(offset);
        var query = new List<KeyValuePair<string, string>>();
        Add("client_id", ClientId);
        Add("user_id", UserId);
        Add("status", ClerkSessionStatus.AsFilter(Status));
        Add("paginated", Paginated ? "true" : null);
        Add("limit", Limit.ToString(CultureInfo.InvariantCulture));
        Add("offset", offset.ToString(CultureInfo.InvariantCulture));
        return query;

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(new KeyValuePair<string, string>(name, value));
            }
        }
    }

    private void Validate(long offset)
    {
        if (!NamesUserOrClient)
        {
            throw new ClerkInvalidArgumentException("Listing sessions needs a user id, a client id, or both: Clerk no longer lists every session of an instance.");
        }

        ClerkValidation.OptionalIdentifier(ClientId, "clientId");
        ClerkValidation.OptionalIdentifier(UserId, "userId");
        if (Status is not null && ClerkSessionStatus.AsFilter(Status) is null)
        {
            throw new ClerkInvalidArgumentException(
                $"{Redaction.Quote(Status)} is not a status Clerk filters by; use one of: {string.Join(", ", ClerkSessionStatus.Filterable)}.", nameof(Status));
        }

        ClerkValidation.Range(Limit, MinLimit, MaxLimit, nameof(Limit), "The page size (limit)");
        ClerkValidation.Range(offset, 0, MaxOffset, nameof(Offset), "The offset");
    }
}
