namespace ClerkSessions.Operations;

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
