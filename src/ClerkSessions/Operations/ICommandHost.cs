using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// What a command may do to the pipeline. The cmdlets implement it over the engine; tests implement it with a
/// recording fake. Every member is called on the pipeline thread.
/// </summary>
public interface ICommandHost
{
    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    CancellationToken StopToken { get; }

    bool IsLogEnabled(ClerkLogLevel level);

    void WriteObject(object value);

    void WriteError(CommandError error);

    void WriteVerbose(string message);

    void WriteDebug(string message);

    void WriteProgress(CommandProgress progress);

    /// <summary>The <c>-IncludeTotalCount</c> answer; an accuracy of 0 means the total is unknown.</summary>
    void WriteTotalCount(ulong count, double accuracy);

    /// <summary>
    /// Asks (or, under -WhatIf, reports) before <paramref name="action"/> is done to <paramref name="target"/>.
    /// <paramref name="force"/> (-Force) answers yes without asking, except under -WhatIf or an explicit -Confirm.
    /// </summary>
    bool ShouldProcess(string target, string action, bool force = false);

    string? GetEnvironmentVariable(string name);

    /// <summary>The shell, for the User-Agent (e.g. <c>PowerShell/7.4.6 (Core)</c>).</summary>
    string HostDescription { get; }
}
