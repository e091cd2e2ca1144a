using System.Management.Automation;

namespace ClerkSessions.Operations;

/// <summary>An error as the commands describe it; the cmdlets turn it into an <see cref="ErrorRecord"/>.</summary>
public sealed class CommandError
{
    public CommandError(Exception exception, string errorId, ErrorCategory category, object? targetObject)
    {
        Exception = exception;
        ErrorId = errorId;
        Category = category;
        TargetObject = targetObject;
    }

    public Exception Exception { get; }
    public string ErrorId { get; }
    public ErrorCategory Category { get; }
    public object? TargetObject { get; }

    /// <summary>What the user reads: Clerk's long_message, its code and trace id, when Clerk answered.</summary>
    public string? Details { get; set; }

    public string? RecommendedAction { get; set; }

    public override string ToString() => $"{ErrorId} ({Category}) {TargetObject}: {Details ?? Exception.Message}";
}
