using ClerkSessions.Core;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Operations;

/// <summary>
/// The pipeline as a command sees it, recorded: objects, errors, verbose/debug lines, progress, total counts and
/// every ShouldProcess question (and What if: report), with the answers a test chooses. It also records any write made off the thread
/// that created it, which the engine would reject.
/// </summary>
internal sealed class RecordingHost : ICommandHost, IDisposable
{
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly CancellationTokenSource _stop = new();

    public List<object> Objects { get; } = new();
    public List<CommandError> Errors { get; } = new();
    public List<string> Verbose { get; } = new();
    public List<string> Debug { get; } = new();
    public List<CommandProgress> Progress { get; } = new();
    public List<(ulong Count, double Accuracy)> TotalCounts { get; } = new();
    public List<(string Target, string Action)> ShouldProcessCalls { get; } = new();
    public List<string> OffThreadWrites { get; } = new();
    public Dictionary<string, string> EnvironmentVariables { get; } = new();

    /// <summary>The user's answer to each confirmation (true = yes); under <see cref="WhatIf"/> the answer is always no.</summary>
    public Func<string, bool> Confirm { get; set; } = _ => true;

    public bool WhatIf { get; set; }

    /// <summary>-Confirm given explicitly: it asks even with -Force.</summary>
    public bool ConfirmRequested { get; set; }
    public bool VerboseEnabled { get; set; } = true;
    public bool DebugEnabled { get; set; }

    /// <summary>Called on every WriteObject, e.g. to cancel as the first object arrives.</summary>
    public Action<object>? OnObject { get; set; }

    public CancellationToken StopToken => _stop.Token;
    public string HostDescription => "RecordingHost/1.0";

    public IEnumerable<T> ObjectsOf<T>() => Objects.OfType<T>();

    public void Stop() => _stop.Cancel();

    public bool IsLogEnabled(ClerkLogLevel level) => level == ClerkLogLevel.Verbose ? VerboseEnabled : DebugEnabled;

    public void WriteObject(object value)
    {
        CheckThread(nameof(WriteObject));
        Objects.Add(value);
        OnObject?.Invoke(value);
    }

    public void WriteError(CommandError error)
    {
        CheckThread(nameof(WriteError));
        Errors.Add(error);
    }

    public void WriteVerbose(string message)
    {
        CheckThread(nameof(WriteVerbose));
        Verbose.Add(message);
    }

    public void WriteDebug(string message)
    {
        CheckThread(nameof(WriteDebug));
        Debug.Add(message);
    }

    public void WriteProgress(CommandProgress progress)
    {
        CheckThread(nameof(WriteProgress));
        Progress.Add(progress);
    }

    public void WriteTotalCount(ulong count, double accuracy)
    {
        CheckThread(nameof(WriteTotalCount));
        TotalCounts.Add((count, accuracy));
    }

    /// <summary>As the engine does with ClerkCmdlet: -Force answers without a question unless -WhatIf or -Confirm is in force.</summary>
    public bool ShouldProcess(string target, string action, bool force = false)
    {
        CheckThread(nameof(ShouldProcess));
        if (force && !WhatIf && !ConfirmRequested)
        {
            return true;
        }

        ShouldProcessCalls.Add((target, action));
        return !WhatIf && Confirm(target);
    }

    public string? GetEnvironmentVariable(string name) => EnvironmentVariables.TryGetValue(name, out var value) ? value : null;

    public void Dispose() => _stop.Dispose();

    private void CheckThread(string what)
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
        {
            OffThreadWrites.Add(what);
        }
    }
}
