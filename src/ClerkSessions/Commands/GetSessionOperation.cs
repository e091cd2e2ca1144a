using System.Globalization;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Commands;

/// <summary>What <c>Get-ClerkSession</c> lists: filters, page size and the -First/-Skip/-IncludeTotalCount window.</summary>
public sealed class SessionListRequest
{
    public const int DefaultPageSize = 100;

    public string? UserId { get; set; }
    public string? ClientId { get; set; }
    public string? Status { get; set; }
    public int PageSize { get; set; } = DefaultPageSize;
    public ulong First { get; set; } = ulong.MaxValue;
    public ulong Skip { get; set; }
    public bool IncludeTotalCount { get; set; }
}

/// <summary><c>Get-ClerkSession</c>: sessions by id, or every session of a user or client, streamed page by page.</summary>
public sealed class GetSessionOperation : SessionCommand
{
    public GetSessionOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    public void GetById(IEnumerable<string> sessionIds)
    {
        foreach (var sessionId in sessionIds)
        {
            if (TryCall((client, cancellationToken) => client.GetSessionAsync(sessionId, cancellationToken), sessionId, out var session))
            {
                Host.WriteObject(session);
            }
        }
    }

    /// <summary>
    /// Writes each page's sessions as soon as it arrives and asks for the next page only while more are wanted:
    /// <c>| Select-Object -First 3</c> or <c>-First 3</c> costs one request. A failure part-way is an error that
    /// says how far the listing got, never a silently short list.
    /// </summary>
    /// <remarks>
    /// With a status filter every page is read before the first session is written: downstream cmdlets may change
    /// the status (<c>-Status active | Revoke-ClerkSession</c>), which would shift the filtered list under the offsets
    /// and skip sessions without any error.
    /// </remarks>
    public void List(SessionListRequest request)
    {
        var query = ToQuery(request);
        if (request.First == 0 && !request.IncludeTotalCount)
        {
            return;
        }

        var held = request.Status is null ? null : new List<ClerkSession>();
        if (held is not null)
        {
            Host.WriteVerbose($"Reading every page before writing: the list is filtered by status '{request.Status}', which the pipeline may change.");
        }

        var target = request.UserId ?? request.ClientId;
        (Exception Exception, string? Context)? failure = null;
        var pages = Connection.Client.GetSessionPagesAsync(query, Host.StopToken).GetAsyncEnumerator(Host.StopToken);
        try
        {
            ulong written = 0;
            var pageNumber = 0;
            var offset = query.Offset;
            while (written < request.First || (pageNumber == 0 && request.IncludeTotalCount))
            {
                bool more;
                try
                {
                    more = Call((_, _) => pages.MoveNextAsync().AsTask());
                }
                catch (Exception exception) when (IsReportable(exception))
                {
                    var context = pageNumber == 0
                        ? null
                        : string.Format(CultureInfo.InvariantCulture, "Listing stopped after {0} session(s): page {1} (offset {2}) failed.", written, pageNumber + 1, offset);
                    failure = (exception, context);
                    break;
                }

                if (!more)
                {
                    break;
                }

                var page = pages.Current;
                pageNumber++;
                Host.WriteVerbose(string.Format(
                    CultureInfo.InvariantCulture,
                    "Page {0}: {1} session(s) from offset {2}{3}.",
                    pageNumber,
                    page.Sessions.Count,
                    offset,
                    page.TotalCount is long total ? " of " + total.ToString(CultureInfo.InvariantCulture) : ""));
                offset += page.Sessions.Count;
                if (pageNumber == 1 && request.IncludeTotalCount)
                {
                    Host.WriteTotalCount(page.TotalCount is long count && count >= 0 ? (ulong)count : 0, page.TotalCount is null ? 0.0 : 1.0);
                }

                foreach (var session in page.Sessions)
                {
                    if (written >= request.First)
                    {
                        break;
                    }

                    if (held is null)
                    {
                        Host.WriteObject(session);
                    }
                    else
                    {
                        held.Add(session);
                    }

                    written++;
                }
            }
        }
        finally
        {
            pages.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var session in held ?? Enumerable.Empty<ClerkSession>())
        {
            Host.WriteObject(session);
        }

        if (failure is { } failed)
        {
            Report(failed.Exception, target, failed.Context);
        }
    }

    /// <summary>Rejects what no request could satisfy before a connection is made (terminating errors).</summary>
    public static void Check(SessionListRequest request) => ToQuery(request);

    /// <summary>-First, -Skip and -IncludeTotalCount shape a listing; with -SessionId they would be silently ignored.</summary>
    public static void CheckNoPaging(ulong first, ulong skip, bool includeTotalCount)
    {
        if (first != ulong.MaxValue || skip != 0 || includeTotalCount)
        {
            throw InvalidParameters("-First, -Skip and -IncludeTotalCount apply to listing sessions (-UserId, -ClientId), not to -SessionId.");
        }
    }

    private static SessionListQuery ToQuery(SessionListRequest request)
    {
        if (string.IsNullOrEmpty(request.UserId) && string.IsNullOrEmpty(request.ClientId))
        {
            throw InvalidParameters("Get-ClerkSession needs -UserId, -ClientId or both to list sessions (Clerk does not list every session of an instance), or -SessionId to get sessions by id.");
        }

        SessionListStatus? status = null;
        if (request.Status is not null)
        {
            status = Enum.TryParse<SessionListStatus>(request.Status, ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(SessionListStatus), parsed)
                ? parsed
                : throw InvalidParameters($"'{request.Status}' is not a status Clerk filters by; use one of: {string.Join(", ", Enum.GetNames(typeof(SessionListStatus)).Select(name => name.ToLowerInvariant()))}.");
        }

        if (request.PageSize < ClerkValidation.MinListLimit || request.PageSize > ClerkValidation.MaxListLimit)
        {
            throw InvalidParameters($"-PageSize must be between {ClerkValidation.MinListLimit} and {ClerkValidation.MaxListLimit}.");
        }

        if (request.Skip > int.MaxValue)
        {
            throw InvalidParameters($"-Skip must be at most {int.MaxValue}.");
        }

        var query = new SessionListQuery
        {
            UserId = NullIfEmpty(request.UserId),
            ClientId = NullIfEmpty(request.ClientId),
            Status = status,
            Limit = (int)Math.Min((ulong)request.PageSize, Math.Max(1UL, request.First)),
            Offset = (int)request.Skip,
            IncludeTotalCount = true,
        };
        try
        {
            _ = query.ToQuery(query.Offset);
        }
        catch (ArgumentException exception)
        {
            throw InvalidParameters(exception.Message);
        }

        return query;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
