using ClerkSessions.Emulator;

namespace ClerkSessions.Runspaces;

/// <summary>
/// The emulators one runspace started. The latest one still running is the one the emulator cmdlets use unless
/// given another; all of them stop when the runspace ends, is reset or removes the module.
/// </summary>
public sealed class EmulatorSet : IRunspaceResource
{
    private readonly object _gate = new();
    private readonly List<ClerkEmulator> _started = new();

    /// <summary>The running emulators, oldest first.</summary>
    public IReadOnlyList<ClerkEmulator> Running
    {
        get
        {
            lock (_gate)
            {
                _started.RemoveAll(emulator => !emulator.IsRunning);
                return _started.ToList();
            }
        }
    }

    public ClerkEmulator? Current => Running.LastOrDefault();

    public void Add(ClerkEmulator emulator)
    {
        lock (_gate)
        {
            _started.Add(emulator);
        }
    }

    public void Abandon()
    {
        List<ClerkEmulator> stopping;
        lock (_gate)
        {
            stopping = _started.ToList();
            _started.Clear();
        }

        foreach (var emulator in stopping)
        {
            emulator.Stop();
        }
    }
}
