using System.Management.Automation;
using ClerkSessions.Commands;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Cmdlets;

/// <summary>Gets sessions by id, or lists the sessions of a user and/or client, page after page.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkSession", DefaultParameterSetName = ByIdSet, SupportsPaging = true)]
[OutputType(typeof(ClerkSession))]
public sealed class GetClerkSessionCommand : ClerkCmdlet
{
    public const string ByIdSet = "ById";
    public const string ListSet = "List";
    private GetSessionOperation? _operation;

    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("abandoned", "active", "ended", "expired", "removed", "replaced", "revoked")]
    public string? Status { get; set; }

    /// <summary>Sessions per request (1–500): larger pages use fewer requests of the rate limit.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 500)]
    public int PageSize { get; set; } = SessionListRequest.DefaultPageSize;

    protected override void Begin() => _operation = Own(new GetSessionOperation(this, Connection()));

    protected override void Process()
    {
        if (ParameterSetName == ByIdSet)
        {
            _operation!.GetById(SessionId);
        }
    }

    protected override void End()
    {
        if (ParameterSetName == ListSet)
        {
            _operation!.List(new SessionListRequest
            {
                UserId = UserId,
                ClientId = ClientId,
                Status = Status,
                PageSize = PageSize,
                First = PagingParameters.First,
                Skip = PagingParameters.Skip,
                IncludeTotalCount = PagingParameters.IncludeTotalCount.IsPresent,
            });
        }
    }
}
