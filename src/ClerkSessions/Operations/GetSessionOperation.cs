using System.Globalization;
using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// <c>Get-ClerkSession</c>: sessions by id, or every session of a user or client, streamed page by page. Several ids,
/// users or clients are fetched with calls in flight (up to the throttle limit): sessions by id and status-filtered
/// lists are written in the order given, other lists page by page as the pages arrive.
/// </summary>
public sealed class GetSessionOperation : ApiOperation
{
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);

    public GetSessionOperation(ICommandHost host, ClerkConnection connection, int throttleLimit = CallsInFlight.DefaultLimit)
        : base(host, connection, throttleLimit, inOrder: true)
    {
    }

    public void GetById(IEnumerable<string> sessionIds)
    {
        foreach (var sessionId in sessionIds)
        {
            Start((client, cancellationToken) => client.GetSessionAsync(sessionId, cancellationToken), sessionId, Host.WriteObject);
        }
    }

    /// <summary>
    /// Starts listing: each page's sessions are written as soon as the page before them has been, while the next page
    /// is already being fetched (one page ahead, never more), and the next page is asked for only while more are
    /// wanted: <c>-First 3</c> costs one request. A failure part-way is an error that says how far the listing got,
    /// never a silently short list. The same user and client listed again in one pipeline is skipped.
    /// </summary>
    /// <remarks>
    /// With a status filter every page is read before the first session is written: downstream cmdlets may change
    /// the status (<c>-Status active | Revoke-ClerkSession</c>), which would shift the filtered list under the offsets
    /// and skip sessions without any error.
    /// </remarks>
    /// <param name="filters">Who and which status, and the page size; where the listing starts is the window's <c>-Skip</c>.</param>
    /// <param name="window">-First, -Skip and -IncludeTotalCount; null for the whole list.</param>
    public void List(SessionListQuery filters, PagingWindow? window = null)
    {
        window ??= new PagingWindow();
        var query = Validated(ToQuery(filters, window));

        // No page larger than -First needs (but one session at least, which also brings the total).
        query.Limit = (int)Math.Min((ulong)query.Limit, Math.Max(1UL, window.First));
        if (window.WantsNothing)
        {
            return;
        }

        var target = query.UserId ?? query.ClientId;
        var listed = string.Format(CultureInfo.InvariantCulture, "user {0}, client {1}", query.UserId ?? "any", query.ClientId ?? "any");
        if (!_listed.Add(listed))
        {
            Host.WriteVerbose($"Skipping the sessions of {listed}: already listed in this pipeline.");
            return;
        }

        if (query.Status is not null)
        {
            Host.WriteVerbose($"Reading every page of {listed} before writing: the list is filtered by status '{query.Status}', which the pipeline may change.");
        }

        StartWork(
            cancellationToken => ListAsync(query, window, cancellationToken),
            target,
            listing =>
            {
                foreach (var session in listing.Held ?? Enumerable.Empty<ClerkSession>())
                {
                    Host.WriteObject(session);
                }

                if (listing.Failure is { } failure)
                {
                    Report(failure, target, listing.FailureContext);
                }
            });
    }

    private async Task<Listing> ListAsync(SessionListQuery query, PagingWindow window, CancellationToken cancellationToken)
    {
        var listing = new Listing { Held = query.Status is null ? null : new List<ClerkSession>() };
        var pageWritten = new SemaphoreSlim(1, 1);
        var pages = Connection.Client.GetSessionPagesAsync(query, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            ulong taken = 0;
            var pageNumber = 0;
            var offset = query.Offset;
            while (taken < window.First || (pageNumber == 0 && window.IncludeTotalCount))
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception exception) when (IsReportable(exception))
                {
                    listing.Failure = exception;
                    listing.FailureContext = pageNumber == 0
                        ? null
                        : string.Format(CultureInfo.InvariantCulture, "Listing stopped after {0} session(s): page {1} (offset {2}) failed.", taken, pageNumber + 1, offset);
                    break;
                }

                var page = pages.Current;
                pageNumber++;
                var sessions = page.Sessions.Take((int)Math.Min((ulong)page.Sessions.Count, window.First - taken)).ToList();
                taken += (ulong)sessions.Count;
                var pageLine = string.Format(
                    CultureInfo.InvariantCulture,
                    "Page {0}: {1} session(s) from offset {2}{3}.",
                    pageNumber,
                    page.Sessions.Count,
                    offset,
                    page.TotalCount is long total ? " of " + total.ToString(CultureInfo.InvariantCulture) : "");
                var totalCount = pageNumber == 1 && window.IncludeTotalCount ? page.TotalCount ?? -1 : (long?)null;
                offset += page.Sessions.Count;

                // The page before this one must have been written: at most one page waits while the next is fetched.
                await pageWritten.WaitAsync(cancellationToken).ConfigureAwait(false);
                Calls.Post(() =>
                {
                    Host.WriteVerbose(pageLine);
                    if (totalCount is long count)
                    {
                        Host.WriteTotalCount(count >= 0 ? (ulong)count : 0, count >= 0 ? 1.0 : 0.0);
                    }

                    if (listing.Held is null)
                    {
                        foreach (var session in sessions)
                        {
                            Host.WriteObject(session);
                        }
                    }

                    // Not when the writing failed (a downstream Select-Object -First): no further page is asked for.
                    pageWritten.Release();
                });
                listing.Held?.AddRange(sessions);
            }

            // The last page is written before the listing completes, so nothing is written after the command ends.
            await pageWritten.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }

        return listing;
    }

    /// <summary>Rejects what no request could satisfy before a connection is made (terminating errors).</summary>
    public static void Check(SessionListQuery filters, PagingWindow window) => Validated(ToQuery(filters, window));

    /// <summary>-First, -Skip and -IncludeTotalCount shape a listing; with -SessionId they would be silently ignored.</summary>
    public static void CheckNoPaging(PagingWindow window)
    {
        if (!window.IsWholeList)
        {
            throw InvalidParameters("-First, -Skip and -IncludeTotalCount apply to listing sessions (-UserId, -ClientId), not to -SessionId.");
        }
    }

    /// <summary>What is asked of Clerk: the filters, from <c>-Skip</c> on, with Clerk's total.</summary>
    private static SessionListQuery ToQuery(SessionListQuery filters, PagingWindow window) =>
        new()
        {
            UserId = filters.UserId,
            ClientId = filters.ClientId,
            Status = filters.Status,
            Limit = filters.Limit,
            Offset = (long)Math.Min(window.Skip, (ulong)long.MaxValue),

            // Clerk's total ends the listing without asking for a page past the end.
            Paginated = true,
        };

    /// <summary>Core says what Clerk accepts; what it refuses stops the command before anything is sent.</summary>
    private static SessionListQuery Validated(SessionListQuery query)
    {
        try
        {
            query.Validate();
        }
        catch (ClerkInvalidArgumentException exception)
        {
            throw InvalidParameters(query.NamesUserOrClient
                ? exception.Message
                : exception.Message + " Get-ClerkSession takes -UserId, -ClientId or both, or -SessionId to get sessions by id.");
        }

        return query;
    }

    private sealed class Listing
    {
        /// <summary>The sessions read before writing any (a status filter); null when each page is written as it comes.</summary>
        public List<ClerkSession>? Held;
        public Exception? Failure;
        public string? FailureContext;
    }
}
