using System.Collections.Concurrent;
using ClerkSessions.Core;

namespace ClerkSessions.Commands;

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

/// <summary>
/// Runs a command's async calls to completion on the pipeline thread: while a call is in flight, its log lines
/// are written as -Verbose/-Debug output as they arrive (a 30-second Retry-After is not a silent 30 seconds), and
/// the call observes the command's Ctrl+C token.
/// </summary>
public sealed class PipelineAwaiter : IClerkLogSink, IDisposable
{
    private readonly ICommandHost _host;
    private readonly bool _verbose;
    private readonly bool _debug;
    private readonly ConcurrentQueue<(ClerkLogLevel Level, string Message)> _lines = new();
    private readonly AutoResetEvent _lineArrived = new(false);

    public PipelineAwaiter(ICommandHost host)
    {
        _host = host;
        _verbose = host.IsLogEnabled(ClerkLogLevel.Verbose);
        _debug = host.IsLogEnabled(ClerkLogLevel.Debug);
    }

    public T Run<T>(Func<CancellationToken, Task<T>> start)
    {
        Task<T> task;
        using (ClerkLogRouter.Route(this))
        {
            task = start(_host.StopToken);
        }

        var waitHandles = new[] { ((IAsyncResult)task).AsyncWaitHandle, _lineArrived };
        while (!task.IsCompleted)
        {
            WaitHandle.WaitAny(waitHandles);
            Drain();
        }

        Drain();
        return task.GetAwaiter().GetResult();
    }

    bool IClerkLogSink.IsEnabled(ClerkLogLevel level) => level == ClerkLogLevel.Verbose ? _verbose : _debug;

    void IClerkLogSink.Write(ClerkLogLevel level, string message)
    {
        if (!((IClerkLogSink)this).IsEnabled(level))
        {
            return;
        }

        _lines.Enqueue((level, message));
        _lineArrived.Set();
    }

    private void Drain()
    {
        while (_lines.TryDequeue(out var line))
        {
            if (line.Level == ClerkLogLevel.Verbose)
            {
                _host.WriteVerbose(line.Message);
            }
            else
            {
                _host.WriteDebug(line.Message);
            }
        }
    }

    public void Dispose() => _lineArrived.Dispose();
}
