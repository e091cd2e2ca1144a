using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>The requests an emulator received since it started or was reset, oldest first, and how it answered each.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkEmulatorRequest")]
[OutputType(typeof(EmulatorRequest))]
public sealed class GetClerkEmulatorRequestCommand : ClerkEmulatorCmdlet
{
    /// <summary>Only requests to these operations (the spec's operationIds).</summary>
    [Parameter(Position = 0)]
    [EmulatorOperation]
    [ValidateEmulatorOperation]
    public string[]? Operation { get; set; }

    protected override void Process()
    {
        // A stopped emulator's log is still there to assert on.
        foreach (var request in ResolveEmulator(stoppedToo: true).GetRequests())
        {
            if (Operation is null || (request.Operation is not null && Operation.Contains(request.Operation, StringComparer.OrdinalIgnoreCase)))
            {
                WriteObject(request);
            }
        }
    }
}
