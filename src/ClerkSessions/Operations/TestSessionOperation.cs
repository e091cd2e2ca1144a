using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary><c>Test-ClerkSession</c>: $true only for a session that exists and is active.</summary>
public sealed class TestSessionOperation : ApiOperation
{
    public TestSessionOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    public void TestById(IEnumerable<string> sessionIds)
    {
        foreach (var sessionId in sessionIds)
        {
            ClerkSession session;
            try
            {
                session = Call((client, cancellationToken) => client.GetSessionAsync(sessionId, cancellationToken));
            }
            catch (ClerkApiException exception) when (exception.StatusCode == 404)
            {
                Host.WriteVerbose($"{sessionId}: no such session.");
                Host.WriteObject(false);
                continue;
            }
            catch (Exception exception) when (IsReportable(exception))
            {
                Report(exception, sessionId);
                continue;
            }

            var active = session.Status == ClerkSessionStatus.Active;
            if (!active)
            {
                Host.WriteVerbose($"{sessionId}: status '{session.Status}'.");
            }

            Host.WriteObject(active);
        }
    }
}
