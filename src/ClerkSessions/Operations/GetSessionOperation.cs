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
    public void List(SessionListRequest request)
    {
        var query = ToQuery(request);
        if (request.First == 0 && !request.IncludeTotalCount)
        {
            return;
        }

        var target = request.UserId ?? request.ClientId;
        var listed = string.Format(CultureInfo.InvariantCulture, "user {0}, client {1}", request.UserId ?? "any", request.ClientId ?? "any");
        if (!_listed.Add(listed))
        {
            Host.WriteVerbose($"Skipping the sessions of {listed}: already listed in this pipeline.");
            return;
        }

        if (request.Status is not null)
        {
            Host.WriteVerbose($"Reading every page of {listed} before writing: the list is filtered by status '{request.Status}', which the pipeline may change.");
        }

        StartWork(
            cancellationToken => ListAsync(query, request, cancellationToken),
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

    private async Task<Listing> ListAsync(SessionListQuery query, SessionListRequest request, CancellationToken cancellationToken)
    {
        var listing = new Listing { Held = request.Status is null ? null : new List<ClerkSession>() };
        var pageWritten = new SemaphoreSlim(1, 1);
        var pages = Connection.Client.GetSessionPagesAsync(query, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            ulong taken = 0;
            var pageNumber = 0;
            var offset = query.Offset;
            while (taken < request.First || (pageNumber == 0 && request.IncludeTotalCount))
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
                var sessions = page.Sessions.Take((int)Math.Min((ulong)page.Sessions.Count, request.First - taken)).ToList();
                taken += (ulong)sessions.Count;
                var pageLine = string.Format(
                    CultureInfo.InvariantCulture,
                    "Page {0}: {1} session(s) from offset {2}{3}.",
                    pageNumber,
                    page.Sessions.Count,
                    offset,
                    page.TotalCount is long total ? " of " + total.ToString(CultureInfo.InvariantCulture) : "");
                var totalCount = pageNumber == 1 && request.IncludeTotalCount ? page.TotalCount ?? -1 : (long?)null;
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

    private sealed class Listing
    {
        /// <summary>The sessions read before writing any (a status filter); null when each page is written as it comes.</summary>
        public List<ClerkSession>? Held;
        public Exception? Failure;
        public string? FailureContext;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
