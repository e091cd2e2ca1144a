using System.Globalization;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Commands;

/// <summary>
/// <c>Revoke-ClerkSession</c>, built for <c>Get-ClerkSession -UserId x | Revoke-ClerkSession</c>: each id once per
/// pipeline run, finished sessions skipped without a request, every revoke behind ShouldProcess (which -Force
/// skips unless -WhatIf or an explicit -Confirm is given), one failure never stopping the rest, progress and a summary.
/// </summary>
public sealed class RevokeSessionOperation : SessionCommand
{
    public const string Activity = "Revoking Clerk sessions";
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _handled;
    private int _revoked;
    private int _skipped;
    private int _failed;

    public RevokeSessionOperation(ICommandHost host, ClerkConnection connection, bool force)
        : base(host, connection) => Force = force;

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

    /// <summary>Completes the progress bar and writes the one-line summary.</summary>
    public void Complete()
    {
        if (_handled > 0)
        {
            Host.WriteProgress(new CommandProgress(Activity, "Done", 100, completed: true));
        }

        Host.WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Revoke-ClerkSession: {0} revoked, {1} skipped, {2} failed.", _revoked, _skipped, _failed));
    }

    private void RevokeOne(SessionReference session)
    {
        _handled++;
        var described = session.Described;
        WriteProgress(described);

        if (string.IsNullOrWhiteSpace(session.Id))
        {
            _failed++;
            Host.WriteError(CommandErrors.InvalidSessionInput(session.Input));
            return;
        }

        var sessionId = session.Id!;
        if (!_seen.Add(sessionId))
        {
            _skipped++;
            Host.WriteVerbose($"Skipping {described}: already handled in this pipeline.");
            return;
        }

        if (ClerkSessionStatus.IsFinished(session.Status))
        {
            _skipped++;
            Host.WriteVerbose($"Skipping {described}: its status is already '{session.Status}'.");
            return;
        }

        var confirmed = (Force && !Host.WhatIfRequested && !Host.ConfirmRequested) || Host.ShouldProcess($"Clerk session {described}", "Revoke");
        if (!confirmed)
        {
            _skipped++;
            return;
        }

        if (!TryCall((client, cancellationToken) => client.RevokeSessionAsync(sessionId, cancellationToken), sessionId, out var revoked))
        {
            _failed++;
            return;
        }

        _revoked++;
        Host.WriteObject(revoked);
    }

    private void WriteProgress(string described)
    {
        var total = ExpectedTotal is int known && known >= _handled ? known : (int?)null;
        var status = total is int all
            ? string.Format(CultureInfo.InvariantCulture, "{0} of {1}: {2}", _handled, all, described)
            : string.Format(CultureInfo.InvariantCulture, "{0}: {1}", _handled, described);
        var percent = total is int count ? (int)((_handled - 1) * 100L / count) : -1;
        Host.WriteProgress(new CommandProgress(Activity, status, percent, completed: false));
    }
}
