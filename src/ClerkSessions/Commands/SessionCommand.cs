using System.Management.Automation;
using ClerkSessions.Core;

namespace ClerkSessions.Commands;

/// <summary>
/// The base of every command: one connection, one awaiter that keeps all pipeline writes on the pipeline thread,
/// and one rule for failures (non-terminating, except a rejected key, which would fail every further request).
/// </summary>
public abstract class SessionCommand : IDisposable
{
    private readonly PipelineAwaiter _awaiter;
    private readonly ClerkConnection? _connection;

    protected SessionCommand(ICommandHost host, ClerkConnection connection)
        : this(host)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <summary>For work that needs no connection (verifying a token with a PEM key).</summary>
    protected SessionCommand(ICommandHost host)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        _awaiter = new PipelineAwaiter(host);
    }

    protected ICommandHost Host { get; }
    protected ClerkConnection Connection => _connection ?? throw new InvalidOperationException("This command was made to run without a connection to Clerk.");

    /// <summary>Runs one client call to completion, writing its log lines meanwhile; Ctrl+C cancels it.</summary>
    protected T Call<T>(Func<ClerkSessionsClient, CancellationToken, Task<T>> call) =>
        Run(cancellationToken => call(Connection.Client, cancellationToken));

    /// <summary>Runs any asynchronous work to completion on the pipeline thread; Ctrl+C cancels it.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) => _awaiter.Run(work);

    /// <summary>
    /// Runs one call; on a reportable failure writes the error about <paramref name="target"/> (or stops the
    /// pipeline for a rejected key) and returns false. The result is written by the caller, outside any catch, so
    /// a downstream cmdlet's failure is never mistaken for this one's.
    /// </summary>
    protected bool TryCall<T>(Func<ClerkSessionsClient, CancellationToken, Task<T>> call, object? target, out T result) =>
        TryRun(cancellationToken => call(Connection.Client, cancellationToken), target, out result);

    /// <summary><see cref="TryCall{T}"/> for work that is not one client call.</summary>
    protected bool TryRun<T>(Func<CancellationToken, Task<T>> work, object? target, out T result)
    {
        try
        {
            result = Run(work);
            return true;
        }
        catch (Exception exception) when (IsReportable(exception))
        {
            Report(exception, target);
            result = default!;
            return false;
        }
    }

    /// <summary>The failures a command reports as errors; anything else (a bug, Ctrl+C, a stopped pipeline) propagates.</summary>
    protected static bool IsReportable(Exception exception) => exception is ClerkException or ArgumentException;

    /// <summary>Writes <paramref name="exception"/> as a non-terminating error, or stops the pipeline if the key was rejected.</summary>
    protected CommandError Report(Exception exception, object? target, string? context = null)
    {
        var error = CommandErrors.From(exception, target);
        if (context is not null)
        {
            error.Details = error.Details + " " + context;
        }

        if (CommandErrors.IsRejectedKey(exception))
        {
            throw new CommandTerminatingException(error);
        }

        Host.WriteError(error);
        return error;
    }

    protected static CommandTerminatingException InvalidParameters(string message) =>
        new(CommandErrors.Terminating("ClerkInvalidParameters", ErrorCategory.InvalidArgument, message));

    public void Dispose() => _awaiter.Dispose();
}
