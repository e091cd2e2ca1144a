using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Creates a session for a user. Clerk allows this on development instances only.</summary>
[Cmdlet(VerbsCommon.New, "ClerkSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClerkSession))]
public sealed class NewClerkSessionCommand : ClerkApiCmdlet
{
    private NewSessionOperation? _operation;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string UserId { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ActiveOrganizationId { get; set; }

    protected override void Begin() => _operation = Own(new NewSessionOperation(this, ResolveConnection()));

    protected override void Process() => _operation!.Create(UserId, ActiveOrganizationId);
}
