using System.Management.Automation;
using ClerkSessions.Commands;

namespace ClerkSessions.Cmdlets;

/// <summary>Tells whether sessions exist and are active: $true or $false for each id.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ClerkSession", DefaultParameterSetName = BySessionIdSet)]
[OutputType(typeof(bool))]
public sealed class TestClerkSessionCommand : ClerkCmdlet
{
    public const string BySessionIdSet = "BySessionId";
    private TestSessionOperation? _operation;

    [Parameter(ParameterSetName = BySessionIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    protected override void Begin() => _operation = Own(new TestSessionOperation(this, Connection()));

    protected override void Process() => _operation!.TestById(SessionId);
}
