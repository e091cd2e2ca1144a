using System.Management.Automation;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>Tells whether sessions are active: $true or $false per id. Session tokens are Test-ClerkSessionToken's.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ClerkSession")]
[OutputType(typeof(bool))]
public sealed class TestClerkSessionCommand : ClerkApiCmdlet
{
    private TestSessionOperation? _operation;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SessionIdInput(typeof(TestClerkSessionCommand))]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = Array.Empty<string>();

    // Made on the first input: an empty pipeline needs no connection.
    protected override void Process()
    {
        _operation ??= Own(new TestSessionOperation(this, ResolveConnection()));
        _operation.TestById(SessionId);
    }
}
