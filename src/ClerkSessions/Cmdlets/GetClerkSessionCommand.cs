using System.Management.Automation;
using ClerkSessions.Commands;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Cmdlets;

/// <summary>Gets sessions by id, or lists the sessions of a user and/or client, page after page.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkSession", DefaultParameterSetName = ByIdSet, SupportsPaging = true)]
[OutputType(typeof(ClerkSession))]
public sealed class GetClerkSessionCommand : ClerkApiCmdlet
{
    public const string ByIdSet = "ById";
    public const string ListSet = "List";
    private GetSessionOperation? _operation;
    private SessionListRequest? _listRequest;

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

    protected override void Begin()
    {
        // Not ParameterSetName: with ids still to come from the pipeline, the set may not be settled yet.
        var listing = new[] { nameof(UserId), nameof(ClientId), nameof(Status), nameof(PageSize) }.Any(IsBound);
        if (listing)
        {
            _listRequest = new SessionListRequest
            {
                UserId = UserId,
                ClientId = ClientId,
                Status = Status,
                PageSize = PageSize,
                First = PagingParameters.First,
                Skip = PagingParameters.Skip,
                IncludeTotalCount = PagingParameters.IncludeTotalCount.IsPresent,
            };
            GetSessionOperation.Check(_listRequest);
        }
        else
        {
            GetSessionOperation.CheckNoPaging(PagingParameters.First, PagingParameters.Skip, PagingParameters.IncludeTotalCount.IsPresent);
        }

        _operation = Own(new GetSessionOperation(this, ResolveConnection()));
    }

    protected override void Process()
    {
        if (_listRequest is null)
        {
            _operation!.GetById(SessionId);
        }
    }

    protected override void End()
    {
        if (_listRequest is not null)
        {
            _operation!.List(_listRequest);
        }
    }
}
