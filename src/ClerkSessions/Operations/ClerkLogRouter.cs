using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// The log sink of every connection. The HTTP pipeline writes from thread-pool threads; this sends each line to
/// the command whose call produced it (carried by the async flow), which writes it on the pipeline thread.
/// </summary>
public sealed class ClerkLogRouter : IClerkLogSink
{
    private static readonly AsyncLocal<IClerkLogSink?> CurrentSink = new();

    private ClerkLogRouter()
    {
    }

    public static ClerkLogRouter Instance { get; } = new();

    /// <summary>Routes lines logged by work started inside the scope to <paramref name="sink"/>.</summary>
    public static IDisposable Route(IClerkLogSink sink)
    {
        var previous = CurrentSink.Value;
        CurrentSink.Value = sink;
        return new Restore(previous);
    }

    public bool IsEnabled(ClerkLogLevel level) => CurrentSink.Value?.IsEnabled(level) == true;

    public void Write(ClerkLogLevel level, string message) => CurrentSink.Value?.Write(level, message);

    private sealed class Restore : IDisposable
    {
        private readonly IClerkLogSink? _previous;

        public Restore(IClerkLogSink? previous) => _previous = previous;

        public void Dispose() => CurrentSink.Value = _previous;
    }
}
