using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>
/// <c>Test-ClerkSession -SessionId</c>: $true only for a session that exists and is active; and
/// <c>-UseVerifyEndpoint</c>, the retired <c>POST /sessions/{id}/verify</c>, for instances pinned to an old API version.
/// </summary>
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

    /// <summary>
    /// Sends the token to the deprecated verify endpoint. Current API versions answer 410, which becomes an error
    /// saying to drop <c>-UseVerifyEndpoint</c>; an old pinned version answers with the session.
    /// </summary>
    public void VerifyWithEndpoint(string sessionId, string token)
    {
        Host.WriteVerbose(ClerkSessionsClient.VerifyEndpointRetired);
        StartAndWait((client, cancellationToken) => client.VerifySessionAsync(sessionId, token, cancellationToken), sessionId, session =>
            Host.WriteObject(session.Status == ClerkSessionStatus.Active));
    }
}
