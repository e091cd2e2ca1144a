using System.Management.Automation;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Stops an emulator: it stops listening and drops its connections.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ClerkEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(ClerkEmulator))]
public sealed class StopClerkEmulatorCommand : ClerkCmdlet
{
    /// <summary>The emulators to stop; the latest one this runspace started when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClerkEmulator[]? Emulator { get; set; }

    /// <summary>Writes each emulator stopped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var stopping = Emulator ?? (Emulators.Current is { } current ? new[] { current } : Array.Empty<ClerkEmulator>());
        if (stopping.Length == 0)
        {
            WriteVerbose("No Clerk emulator is running in this runspace.");
        }

        foreach (var emulator in stopping)
        {
            if (ShouldProcess(emulator.ApiUrl.ToString(), "Stop the Clerk emulator"))
            {
                emulator.Stop();
                WriteVerbose($"Stopped the Clerk emulator at {emulator.ApiUrl}.");
                if (PassThru)
                {
                    WriteObject(emulator);
                }
            }
        }
    }
}
