using System.Management.Automation;
using ClerkSessions.Core;
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
    [ValidateSet(
        ClerkSessionStatus.Abandoned, ClerkSessionStatus.Active, ClerkSessionStatus.Ended, ClerkSessionStatus.Expired,
        ClerkSessionStatus.Removed, ClerkSessionStatus.Replaced, ClerkSessionStatus.Revoked)]
    public string? Status { get; set; }

    /// <summary>Sessions per request (1–500): larger pages use fewer requests of the rate limit.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(SessionListQuery.MinLimit, SessionListQuery.MaxLimit)]
    public int PageSize { get; set; } = SessionListQuery.DefaultLimit;

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
                GetSessionOperation.Check(Filters(), PagingWindow.From(PagingParameters));
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
            _operation!.List(Filters(), PagingWindow.From(PagingParameters));
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

    private SessionListQuery Filters() => new() { UserId = UserId, ClientId = ClientId, Status = Status, Limit = PageSize };

    private void CheckNoPaging() => GetSessionOperation.CheckNoPaging(PagingWindow.From(PagingParameters));
}
