using ClerkSessions.Connections;
using ClerkSessions.Core;
using ClerkSessions.Core.Models;

namespace ClerkSessions.Operations;

/// <summary>
/// <c>Test-ClerkSessionToken -UseVerifyEndpoint</c>: the retired <c>POST /sessions/{id}/verify</c>, for instances
/// pinned to an old API version.
/// </summary>
public sealed class VerifyEndpointOperation : ApiOperation
{
    public VerifyEndpointOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    /// <summary>
    /// Sends the token to the deprecated verify endpoint. Current API versions answer 410, which becomes an error
    /// saying to drop <c>-UseVerifyEndpoint</c>; an old pinned version answers with the session.
    /// </summary>
    public void Verify(string sessionId, string token)
    {
        Host.WriteVerbose(ClerkSessionsClient.VerifyEndpointRetired);
        StartAndWait((client, cancellationToken) => client.VerifySessionAsync(sessionId, token, cancellationToken), sessionId, session =>
            Host.WriteObject(session.Status == ClerkSessionStatus.Active));
    }
}
