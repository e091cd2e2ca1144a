using System.Runtime.ExceptionServices;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// How a command does its asynchronous work: it starts each piece on the thread pool, up to <see cref="Limit"/> at
/// once, and everything the work hands back — its result or failure, pages it posts on the way, the log lines of its
/// requests — is written on the pipeline thread whenever the command starts more work or waits for it, and at the end.
/// Ctrl+C (the host's stop token) or the end of the command cancels whatever is still running.
/// </summary>
public sealed class CallsInFlight : IClerkLogSink, IDisposable
{
    /// <summary>
    /// The most calls a command keeps in flight unless told otherwise: measured to hold Clerk's production ceiling
    /// (100 requests a second) while a request takes up to 150 ms (docs/performance.md).
    /// </summary>
    public const int DefaultLimit = 20;

    /// <summary>The most a user may ask for: more would only queue at the rate limit and hold connections open.</summary>
    public const int MaxLimit = 100;

    private readonly ICommandHost _host;
    private readonly bool _verbose;
    private readonly bool _debug;
    private readonly CancellationTokenSource _cancel;
    private readonly CancellationTokenRegistration _wakeOnStop;
    private readonly object _gate = new();
    private readonly Queue<Action> _inbox = new();
    private readonly Queue<Slot> _order = new();
    private int _running;
    private bool _disposed;

    public CallsInFlight(ICommandHost host, int limit = 1, bool inOrder = false)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        Limit = limit >= 1 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "At least one call must be allowed in flight.");
        InOrder = inOrder;
        _verbose = host.IsLogEnabled(ClerkLogLevel.Verbose);
        _debug = host.IsLogEnabled(ClerkLogLevel.Debug);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(host.StopToken);
        _wakeOnStop = host.StopToken.Register(Wake);
    }

    /// <summary>The most pieces of work running at once; <see cref="Start"/> waits (writing what completes) while that many run.</summary>
    public int Limit { get; }

    /// <summary>Results are handed back in the order the work was started, not the order it completed.</summary>
    public bool InOrder { get; }

    /// <summary>How many pieces of work have been started and not yet handed back.</summary>
    public int Running => _running;

    /// <summary>
    /// Starts <paramref name="work"/> once fewer than <see cref="Limit"/> are running, after writing whatever has
    /// completed. When it ends, <paramref name="completed"/> gets its result on the pipeline thread; a failure
    /// goes to <paramref name="failed"/>, and cancellation by Ctrl+C stops the command.
    /// </summary>
    public void Start<T>(Func<CancellationToken, Task<T>> work, Action<T> completed, Action<Exception> failed)
    {
        HandBack();
        while (_running >= Limit)
        {
            WaitForMore();
        }

        Task<T> task;
        using (ClerkLogRouter.Route(this))
        {
            try
            {
                task = work(_cancel.Token);
            }
            catch (Exception exception)
            {
                task = Task.FromException<T>(exception);
            }
        }

        _running++;
        var slot = new Slot();
        if (InOrder)
        {
            _order.Enqueue(slot);
        }

        task.ContinueWith(
            finished =>
            {
                slot.Complete = () => Finish(finished, completed, failed);
                Post(InOrder ? () => slot.IsDone = true : slot.Complete);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Runs <paramref name="work"/> alone to completion and returns its result; a failure is thrown.</summary>
    public T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var result = default(T)!;
        Exception? failure = null;
        Start(work, value => result = value, exception => failure = exception);
        WaitAll();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result;
    }

    /// <summary>From running work: has <paramref name="action"/> run on the pipeline thread, in the order posted.</summary>
    public void Post(Action action)
    {
        lock (_gate)
        {
            _inbox.Enqueue(action);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every piece of work has been handed back.</summary>
    public void WaitAll()
    {
        HandBack();
        while (_running > 0)
        {
            WaitForMore();
        }
    }

    /// <summary>Writes (without waiting) everything the work has handed back so far.</summary>
    public void HandBack()
    {
        while (true)
        {
            Action next;
            lock (_gate)
            {
                if (_inbox.Count == 0)
                {
                    break;
                }

                next = _inbox.Dequeue();
            }

            next();
        }

        while (_order.Count > 0 && _order.Peek().IsDone)
        {
            _order.Dequeue().Complete!();
        }
    }

    bool IClerkLogSink.IsEnabled(ClerkLogLevel level) => level == ClerkLogLevel.Verbose ? _verbose : _debug;

    void IClerkLogSink.Write(ClerkLogLevel level, string message)
    {
        if (level == ClerkLogLevel.Verbose ? _verbose : _debug)
        {
            Post(level == ClerkLogLevel.Verbose ? () => _host.WriteVerbose(message) : () => _host.WriteDebug(message));
        }
    }

    private void Finish<T>(Task<T> finished, Action<T> completed, Action<Exception> failed)
    {
        _running--;
        if (finished.IsCanceled || (finished.IsFaulted && _host.StopToken.IsCancellationRequested))
        {
            throw new OperationCanceledException(_host.StopToken);
        }

        if (finished.IsFaulted)
        {
            var exception = finished.Exception!.InnerExceptions.Count == 1 ? finished.Exception.InnerException! : finished.Exception;
            failed(exception);
            return;
        }

        completed(finished.Result);
    }

    private void WaitForMore()
    {
        lock (_gate)
        {
            while (_inbox.Count == 0 && !_host.StopToken.IsCancellationRequested)
            {
                Monitor.Wait(_gate);
            }
        }

        _host.StopToken.ThrowIfCancellationRequested();
        HandBack();
    }

    private void Wake()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Cancels whatever is still running: the command ended early (a terminating error, a downstream Select-Object -First).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wakeOnStop.Dispose();
        _cancel.Cancel();
        _cancel.Dispose();
    }

    private sealed class Slot
    {
        public Action? Complete;
        public bool IsDone;
    }
}
