namespace ClerkSessions.Operations;

/// <summary>Thrown by a command for the failures that must stop the pipeline (no connection, bad parameters, a rejected key).</summary>
public sealed class CommandTerminatingException : Exception
{
    public CommandTerminatingException(CommandError error)
        : base(error.Details ?? error.Exception.Message, error.Exception) => Error = error;

    public CommandError Error { get; }
}
