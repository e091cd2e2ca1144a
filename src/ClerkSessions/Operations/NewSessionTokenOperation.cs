using ClerkSessions.Connections;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Operations;

/// <summary><c>New-ClerkSessionToken</c>: a session JWT, optionally from a JWT template, as a SecureString by default.</summary>
public sealed class NewSessionTokenOperation : ApiOperation
{
    public NewSessionTokenOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    public string? TemplateName { get; set; }
    public int? ExpiresInSeconds { get; set; }

    /// <summary>Write the JWT as a plain string instead of a <see cref="ClerkSessionToken"/>.</summary>
    public bool AsPlainText { get; set; }

    public void Create(IEnumerable<string> sessionIds)
    {
        foreach (var sessionId in sessionIds)
        {
            var what = TemplateName is null ? "Create a session token" : $"Create a session token from JWT template '{TemplateName}'";
            if (!Host.ShouldProcess($"Clerk session {sessionId}", what))
            {
                continue;
            }

            StartAndWait(
                (client, cancellationToken) => client.CreateSessionTokenAsync(sessionId, TemplateName, ExpiresInSeconds, cancellationToken),
                sessionId,
                token => Host.WriteObject(AsPlainText ? token.Jwt : ClerkSessionTokenReader.FromJwt(sessionId, TemplateName, token.Jwt)));
        }
    }
}
