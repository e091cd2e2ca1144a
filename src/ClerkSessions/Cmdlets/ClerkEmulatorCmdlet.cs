using System.Management.Automation;
using ClerkSessions.Emulator;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>A cmdlet that works on an emulator: the one given with -Emulator (or piped), else the latest one this runspace started.</summary>
public abstract class ClerkEmulatorCmdlet : ClerkCmdlet
{
    /// <summary>The emulator (from Start-ClerkEmulator) instead of the latest one this runspace started.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public ClerkEmulator? Emulator { get; set; }

    /// <summary>-Emulator, else the runspace's latest running emulator; a terminating error when there is none or (unless <paramref name="stoppedToo"/>) it stopped.</summary>
    protected ClerkEmulator ResolveEmulator(bool stoppedToo = false)
    {
        var emulator = Emulator ?? Emulators.Current ?? throw new CommandTerminatingException(CommandErrors.Terminating(
            "ClerkEmulatorNotRunning",
            ErrorCategory.ResourceUnavailable,
            "No Clerk emulator is running in this runspace. Start one with Start-ClerkEmulator, or pass one with -Emulator."));
        if (!emulator.IsRunning && !stoppedToo)
        {
            throw new CommandTerminatingException(CommandErrors.Terminating(
                "ClerkEmulatorNotRunning",
                ErrorCategory.ResourceUnavailable,
                $"The Clerk emulator at {emulator.ApiUrl} has stopped.",
                emulator));
        }

        return emulator;
    }
}
