using System.Management.Automation;
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
