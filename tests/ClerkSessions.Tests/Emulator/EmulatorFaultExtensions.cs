using ClerkSessions.Emulator;

namespace ClerkSessions.Tests.Emulator;

internal static class EmulatorFaultExtensions
{
    /// <summary>
    /// Answers the next <paramref name="operation"/> request normally and gives the one after it <paramref name="fault"/>,
    /// e.g. a list whose second page fails. Faults apply in the order they were added, and a <see cref="EmulatorFaultKind.Slow"/>
    /// fault with no delay is the real answer, so it lets the first request through.
    /// </summary>
    public static void AddFaultAfterFirst(this ClerkEmulator emulator, string operation, EmulatorFault fault)
    {
        fault.Operation = new[] { operation };
        emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.Slow, Delay = TimeSpan.Zero, Operation = new[] { operation } });
        emulator.AddFault(fault);
    }
}
