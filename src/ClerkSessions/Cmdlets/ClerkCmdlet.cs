using System.Collections;
using System.Management.Automation;
using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.Operations;
using ClerkSessions.Runspaces;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// The engine side of <see cref="ICommandHost"/>, shared by every cmdlet: one CancellationTokenSource per
/// invocation (cancelled by Ctrl+C), errors turned into ErrorRecords, terminating errors thrown the engine's way.
/// Everything a cmdlet decides lives in an operation under <c>Operations/</c>, which tests drive without PowerShell.
/// </summary>
public abstract class ClerkCmdlet : PSCmdlet, ICommandHost, IDisposable
{
    private const int ProgressActivityId = 0x436C;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _owned = new();
    private CommonSwitches? _switches;

    public CancellationToken StopToken => _stop.Token;

    public string HostDescription
    {
        get
        {
            var table = GetVariableValue("PSVersionTable") as Hashtable;
            return $"PowerShell/{table?["PSVersion"] ?? Host?.Version} ({table?["PSEdition"] ?? "Desktop"})";
        }
    }

    protected sealed override void BeginProcessing()
    {
        // Read here, on the pipeline thread, once: they cannot change while the command runs.
        _switches = new CommonSwitches(this);
        Run(Begin);
    }

    protected sealed override void ProcessRecord() => Run(Process);

    protected sealed override void EndProcessing() => Run(End);

    protected override void StopProcessing() => _stop.Cancel();

    protected virtual void Begin()
    {
    }

    protected virtual void Process()
    {
    }

    protected virtual void End()
    {
    }

    /// <summary>The connections of the runspace this cmdlet runs in.</summary>
    protected ConnectionStore Connections => RunspaceScoped<ConnectionStore>.Get(SessionState.PSVariable);

    /// <summary>The emulators the runspace this cmdlet runs in started.</summary>
    protected EmulatorSet Emulators => RunspaceScoped<EmulatorSet>.Get(SessionState.PSVariable);

    private CommonSwitches Switches => _switches ??= new CommonSwitches(this);

    public bool IsLogEnabled(ClerkLogLevel level) => level == ClerkLogLevel.Verbose ? Switches.Verbose : Switches.Debug;

    void ICommandHost.WriteObject(object value) => WriteObject(value);

    void ICommandHost.WriteError(CommandError error) => WriteError(ToErrorRecord(error));

    void ICommandHost.WriteVerbose(string message)
    {
        if (Switches.VerboseAsDebug)
        {
            WriteDebug(message);
        }
        else
        {
            WriteVerbose(message);
        }
    }

    void ICommandHost.WriteDebug(string message) => WriteDebug(message);

    void ICommandHost.WriteProgress(CommandProgress progress) =>
        WriteProgress(new ProgressRecord(ProgressActivityId, progress.Activity, progress.Status)
        {
            PercentComplete = progress.PercentComplete,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        });

    void ICommandHost.WriteTotalCount(ulong count, double accuracy)
    {
        if (PagingParameters is not null)
        {
            WriteObject(PagingParameters.NewTotalCount(count, accuracy));
        }
    }

    bool ICommandHost.ShouldProcess(string target, string action, bool force) => (force && Switches.ForceAnswers) || ShouldProcess(target, action);

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    /// <summary>Whether <paramref name="parameter"/> was given (bound), rather than left at its default.</summary>
    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>Keeps <paramref name="disposable"/> until the engine disposes the cmdlet.</summary>
    protected T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Every one is released even if another throws: one of them may hold a connection open.
        Exception? failure = null;
        for (var index = _owned.Count - 1; index >= 0; index--)
        {
            try
            {
                _owned[index].Dispose();
            }
            catch (Exception exception)
            {
                failure ??= exception;
            }
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private void Run(Action step)
    {
        try
        {
            step();
        }
        catch (CommandTerminatingException exception)
        {
            ThrowTerminatingError(ToErrorRecord(exception.Error));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private ErrorRecord ToErrorRecord(CommandError error)
    {
        // The target and the details repeat what the user gave: a token given where an id belongs is not shown back.
        var target = (error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject) is string text ? Redaction.Text(text) : error.TargetObject;
        var record = new ErrorRecord(error.Exception, error.ErrorId, error.Category, target);
        if (error.Details is not null)
        {
            record.ErrorDetails = new ErrorDetails(Redaction.Text(error.Details))
            {
                RecommendedAction = error.RecommendedAction is null ? null : Redaction.Text(error.RecommendedAction),
            };
        }

        return record;
    }

}
