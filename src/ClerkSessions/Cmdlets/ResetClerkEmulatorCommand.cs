using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Seeds an emulator again and forgets its faults, received requests and rate-limit use; its key, URL and settings stay.</summary>
[Cmdlet(VerbsCommon.Reset, "ClerkEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(ClerkEmulator))]
public sealed class ResetClerkEmulatorCommand : ClerkEmulatorCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var emulator = ResolveEmulator();
        if (ShouldProcess(emulator.ApiUrl.ToString(), "Reset the Clerk emulator to its seed"))
        {
            emulator.Reset();
            if (PassThru)
            {
                WriteObject(emulator);
            }
        }
    }
}
