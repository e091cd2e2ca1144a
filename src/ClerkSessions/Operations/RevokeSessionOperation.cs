using System.Diagnostics;
using System.Globalization;
using ClerkSessions.Connections;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Operations;

/// <summary>
/// <c>Revoke-ClerkSession</c>, built for <c>Get-ClerkSession -UserId x | Revoke-ClerkSession</c>: each id once per
/// pipeline run, finished sessions skipped without a request, every revoke behind ShouldProcess (which -Force
/// skips unless -WhatIf or an explicit -Confirm is given) asked in input order, up to the throttle limit of revokes in
/// flight, each written as it completes, one failure never stopping the rest, progress with the rate and a summary.
/// </summary>
public sealed class RevokeSessionOperation : ApiOperation
{
    public const string Activity = "Revoking Clerk sessions";
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();
    private int _received;
    private int _revoked;
    private int _skipped;
    private int _failed;

    public RevokeSessionOperation(ICommandHost host, ClerkConnection connection, bool force, int throttleLimit = CallsInFlight.DefaultLimit)
        : base(host, connection, throttleLimit) => Force = force;

    public bool Force { get; }

    /// <summary>How many inputs there will be, when known before the first (ids given as an argument, not piped).</summary>
    public int? ExpectedTotal { get; set; }

    public int Revoked => _revoked;
    public int Skipped => _skipped;
    public int Failed => _failed;

    public void Process(IEnumerable<SessionReference> sessions)
    {
        foreach (var session in sessions)
        {
            RevokeOne(session);
        }
    }

    /// <summary>Waits for the revokes in flight, completes the progress bar and writes the one-line summary.</summary>
    public void Complete()
    {
        WaitAll();
        if (_received > 0)
        {
            Host.WriteProgress(new CommandProgress(Activity, "Done", 100, completed: true));
        }

        Host.WriteVerbose(string.Format(
            CultureInfo.InvariantCulture,
            "Revoke-ClerkSession: {0} revoked, {1} skipped, {2} failed{3}.",
            _revoked,
            _skipped,
            _failed,
            _revoked > 0 ? string.Format(CultureInfo.InvariantCulture, " in {0:0.0} s ({1})", _clock.Elapsed.TotalSeconds, Rate()) : ""));
    }

    private void RevokeOne(SessionReference session)
    {
        _received++;
        var described = session.Described;
        if (string.IsNullOrWhiteSpace(session.Id))
        {
            Done(ref _failed, described);
            Host.WriteError(CommandErrors.InvalidSessionInput(session.Input));
            return;
        }

        var sessionId = session.Id!;
        if (!_seen.Add(sessionId))
        {
            Done(ref _skipped, described);
            Host.WriteVerbose($"Skipping {described}: already handled in this pipeline.");
            return;
        }

        if (ClerkSessionStatus.IsFinished(session.Status))
        {
            Done(ref _skipped, described);
            Host.WriteVerbose($"Skipping {described}: its status is already '{session.Status}'.");
            return;
        }

        if (!Host.ShouldProcess($"Clerk session {described}", "Revoke", Force))
        {
            Done(ref _skipped, described);
            return;
        }

        _clock.Start();
        Start(
            (client, cancellationToken) => client.RevokeSessionAsync(sessionId, cancellationToken),
            sessionId,
            revoked =>
            {
                Done(ref _revoked, described);
                Host.WriteObject(revoked);
            },
            _ => Done(ref _failed, described));
    }

    private void Done(ref int outcome, string described)
    {
        outcome++;
        var done = _revoked + _skipped + _failed;
        var total = ExpectedTotal is int known && known >= _received ? known : (int?)null;
        var inFlight = Calls.Running > 0 ? string.Format(CultureInfo.InvariantCulture, ", {0} in flight", Calls.Running) : "";
        var status = total is int all
            ? string.Format(CultureInfo.InvariantCulture, "{0} of {1} done{2}, {3}: {4}", done, all, inFlight, Rate(), described)
            : string.Format(CultureInfo.InvariantCulture, "{0} of {1} received done{2}, {3}: {4}", done, _received, inFlight, Rate(), described);
        var percent = total is int count && count > 0 ? (int)(done * 100L / count) : -1;
        Host.WriteProgress(new CommandProgress(Activity, status, percent, completed: false));
    }

    private string Rate()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        return seconds > 0
            ? string.Format(CultureInfo.InvariantCulture, "{0:0.0} revoked/s", _revoked / seconds)
            : "0.0 revoked/s";
    }
}
