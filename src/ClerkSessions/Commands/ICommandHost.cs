using System.Management.Automation;
using ClerkSessions.Core;

namespace ClerkSessions.Commands;

/// <summary>
/// What a command may do to the pipeline. The cmdlets implement it over the engine; tests implement it with a
/// recording fake. Every member is called on the pipeline thread.
/// </summary>
public interface ICommandHost
{
    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    CancellationToken StopToken { get; }

    /// <summary>True when -WhatIf (or $WhatIfPreference) is in force, so -Force must not bypass ShouldProcess.</summary>
    bool WhatIfRequested { get; }

    /// <summary>True when -Confirm was given explicitly: it asks even when -Force would not.</summary>
    bool ConfirmRequested { get; }

    bool IsLogEnabled(ClerkLogLevel level);

    void WriteObject(object value);

    void WriteError(CommandError error);

    void WriteVerbose(string message);

    void WriteDebug(string message);

    void WriteProgress(CommandProgress progress);

    /// <summary>The <c>-IncludeTotalCount</c> answer; an accuracy of 0 means the total is unknown.</summary>
    void WriteTotalCount(ulong count, double accuracy);

    /// <summary>Asks (or, under -WhatIf, reports) before <paramref name="action"/> is done to <paramref name="target"/>.</summary>
    bool ShouldProcess(string target, string action);

    string? GetEnvironmentVariable(string name);

    /// <summary>The shell, for the User-Agent (e.g. <c>PowerShell/7.4.6 (Core)</c>).</summary>
    string HostDescription { get; }
}

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

/// <summary>Thrown by a command for the failures that must stop the pipeline (no connection, bad parameters, a rejected key).</summary>
public sealed class CommandTerminatingException : Exception
{
    public CommandTerminatingException(CommandError error)
        : base(error.Details ?? error.Exception.Message, error.Exception) => Error = error;

    public CommandError Error { get; }
}

/// <summary>One progress update; <see cref="PercentComplete"/> is -1 when the total is unknown.</summary>
public sealed class CommandProgress
{
    public CommandProgress(string activity, string status, int percentComplete, bool completed)
    {
        Activity = activity;
        Status = status;
        PercentComplete = percentComplete;
        Completed = completed;
    }

    public string Activity { get; }
    public string Status { get; }
    public int PercentComplete { get; }
    public bool Completed { get; }

    public override string ToString() => $"{Activity}: {Status} ({PercentComplete}%{(Completed ? ", completed" : "")})";
}
