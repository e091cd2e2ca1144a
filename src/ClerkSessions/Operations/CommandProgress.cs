namespace ClerkSessions.Operations;

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
