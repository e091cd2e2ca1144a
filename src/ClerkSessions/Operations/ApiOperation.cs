using ClerkSessions.Connections;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>An operation that calls Clerk through one connection.</summary>
public abstract class ApiOperation : Operation
{
    /// <inheritdoc cref="Operation(ICommandHost, int, bool)"/>
    protected ApiOperation(ICommandHost host, ClerkConnection connection, int callsInFlight = 1, bool inOrder = false)
        : base(host, callsInFlight, inOrder) =>
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));

    protected ClerkConnection Connection { get; }

    /// <summary>Runs one client call to completion and returns its result; a failure is thrown. Ctrl+C cancels it.</summary>
    protected T Call<T>(Func<ClerkSessionsClient, CancellationToken, Task<T>> call) =>
        Calls.Run(cancellationToken => call(Connection.Client, cancellationToken));

    /// <summary><see cref="Operation.StartWork{T}"/> for one client call.</summary>
    protected void Start<T>(Func<ClerkSessionsClient, CancellationToken, Task<T>> call, object? target, Action<T> completed, Action<CommandError>? failed = null) =>
        StartWork(cancellationToken => call(Connection.Client, cancellationToken), target, completed, failed);

    /// <summary><see cref="Start{T}"/>, then waits for it: for commands that handle one input at a time.</summary>
    protected void StartAndWait<T>(Func<ClerkSessionsClient, CancellationToken, Task<T>> call, object? target, Action<T> completed)
    {
        Start(call, target, completed);
        Calls.WaitAll();
    }
}
