using System.Management.Automation;

namespace ClerkSessions.Operations;

/// <summary>
/// The engine's paging parameters of a listing (<c>-First</c>, <c>-Skip</c>, <c>-IncludeTotalCount</c>): which of the
/// listed sessions are written, and whether their total is. Clerk's own pages are the query's; this is what the user
/// wants of the whole list.
/// </summary>
public sealed class PagingWindow
{
    public ulong First { get; set; } = ulong.MaxValue;
    public ulong Skip { get; set; }
    public bool IncludeTotalCount { get; set; }

    /// <summary>True when nothing is asked of the window: every session, from the first, without a total.</summary>
    public bool IsWholeList => First == ulong.MaxValue && Skip == 0 && !IncludeTotalCount;

    /// <summary>True when no session and no total is wanted (<c>-First 0</c>): nothing need be asked of Clerk.</summary>
    public bool WantsNothing => First == 0 && !IncludeTotalCount;

    public static PagingWindow From(PagingParameters parameters) => new()
    {
        First = parameters.First,
        Skip = parameters.Skip,
        IncludeTotalCount = parameters.IncludeTotalCount.IsPresent,
    };
}
