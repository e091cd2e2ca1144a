using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Gets sessions by id, or lists the sessions of a user and/or client, page after page.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkSession", DefaultParameterSetName = ByIdSet, SupportsPaging = true)]
[OutputType(typeof(ClerkSession))]
public sealed class GetClerkSessionCommand : ClerkApiCmdlet
{
    public const string ByIdSet = "ById";
    public const string ListSet = "List";
    private GetSessionOperation? _operation;

    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SessionIdInput(typeof(GetClerkSessionCommand))]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    /// <summary>Lists this user's sessions; piped objects with a <c>UserId</c> property (a CSV column) list each one's.</summary>
    [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("abandoned", "active", "ended", "expired", "removed", "replaced", "revoked")]
    public string? Status { get; set; }

    /// <summary>Sessions per request (1–500): larger pages use fewer requests of the rate limit.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 500)]
    public int PageSize { get; set; } = SessionListRequest.DefaultPageSize;

    /// <summary>How many ids, users or clients are fetched at once; the connection's rate limit paces them all.</summary>
    [Parameter]
    [ValidateRange(1, CallsInFlight.MaxLimit)]
    public int ThrottleLimit { get; set; } = CallsInFlight.DefaultLimit;

    protected override void Begin()
    {
        // Checked before connecting when everything is on the command line; piped users and ids are checked as they come.
        if (!MyInvocation.ExpectingInput)
        {
            if (ParameterSetName == ListSet)
            {
                GetSessionOperation.Check(ListRequest());
            }
            else
            {
                CheckNoPaging();
            }
        }

        _operation = Own(new GetSessionOperation(this, ResolveConnection(), ThrottleLimit));
    }

    protected override void Process()
    {
        if (ParameterSetName == ListSet)
        {
            _operation!.List(ListRequest());
        }
        else
        {
            if (MyInvocation.ExpectingInput)
            {
                CheckNoPaging();
            }

            _operation!.GetById(SessionId);
        }
    }

    protected override void End() => _operation!.WaitAll();

    private SessionListRequest ListRequest() => new()
    {
        UserId = UserId,
        ClientId = ClientId,
        Status = Status,
        PageSize = PageSize,
        First = PagingParameters.First,
        Skip = PagingParameters.Skip,
        IncludeTotalCount = PagingParameters.IncludeTotalCount.IsPresent,
    };

    private void CheckNoPaging() =>
        GetSessionOperation.CheckNoPaging(PagingParameters.First, PagingParameters.Skip, PagingParameters.IncludeTotalCount.IsPresent);
}
