using System.Management.Automation;
using System.Runtime.ExceptionServices;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// What a cmdlet does, written without PowerShell: one <see cref="CallsInFlight"/> that runs its work and writes what
/// it hands back on the pipeline thread, and one rule for failures (non-terminating, except a rejected key, which
/// would fail every further request). Operations that call Clerk derive from <see cref="ApiOperation"/>.
/// </summary>
public abstract class Operation : IDisposable
{
    /// <param name="callsInFlight">How many calls may run at once; 1 runs them one after another.</param>
    /// <param name="inOrder">Hand results back in the order the calls were started rather than as they complete.</param>
    protected Operation(ICommandHost host, int callsInFlight = 1, bool inOrder = false)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Calls = new CallsInFlight(host, callsInFlight, inOrder);
    }

    protected ICommandHost Host { get; }
    protected CallsInFlight Calls { get; }

    /// <summary>
    /// Starts <paramref name="work"/> (waiting, while writing what completes, when as many are already in flight as
    /// allowed). Its result goes to <paramref name="completed"/> on the pipeline thread; a reportable failure is
    /// written as an error about <paramref name="target"/> (or stops the pipeline for a rejected key) and given to
    /// <paramref name="failed"/>.
    /// </summary>
    protected void StartWork<T>(Func<CancellationToken, Task<T>> work, object? target, Action<T> completed, Action<CommandError>? failed = null) =>
        Calls.Start(work, completed, exception =>
        {
            if (!IsReportable(exception))
            {
                ExceptionDispatchInfo.Capture(exception).Throw();
            }

            var error = Report(exception, target);
            failed?.Invoke(error);
        });

    /// <summary>Waits for every call still in flight, writing each as it completes. Called at the end of the command.</summary>
    public void WaitAll() => Calls.WaitAll();

    /// <summary>
    /// The failures a command reports as errors: Clerk's, and a value Clerk would not accept. Anything else (a bug,
    /// even an <see cref="ArgumentException"/>, Ctrl+C, a stopped pipeline) propagates.
    /// </summary>
    protected static bool IsReportable(Exception exception) => exception is ClerkException or ClerkInvalidArgumentException;

    /// <summary>Writes <paramref name="exception"/> as a non-terminating error, or stops the pipeline if the key was rejected.</summary>
    protected CommandError Report(Exception exception, object? target, string? context = null)
    {
        var error = CommandErrors.From(exception, target);
        if (context is not null)
        {
            error.Details = error.Details + " " + context;
        }

        // A rejected key is about the connection, not the input it happened on; it stops the command.
        if (exception is ClerkApiException { IsSecretKeyRejected: true })
        {
            throw new CommandTerminatingException(error);
        }

        // With calls in flight errors come in completion order: each names what it is about, as a caller's value
        // is shown (an id refused for its control characters or its length is not repeated as it is).
        if (target is string about && error.Details is { } details && details.IndexOf(about, StringComparison.Ordinal) < 0)
        {
            error.Details = Redaction.Displayable(about) + ": " + details;
        }

        Host.WriteError(error);
        return error;
    }

    protected static CommandTerminatingException InvalidParameters(string message) =>
        new(CommandErrors.Terminating("ClerkInvalidParameters", ErrorCategory.InvalidArgument, message));

    public void Dispose() => Calls.Dispose();
}
