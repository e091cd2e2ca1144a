using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Lists the emulators this runspace started that are still running, oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "ClerkEmulator")]
[OutputType(typeof(ClerkEmulator))]
public sealed class GetClerkEmulatorCommand : ClerkCmdlet
{
    protected override void End()
    {
        foreach (var emulator in Emulators.Running)
        {
            WriteObject(emulator);
        }
    }
}
