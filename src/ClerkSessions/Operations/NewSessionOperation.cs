using ClerkSessions.Connections;

namespace ClerkSessions.Operations;

/// <summary><c>New-ClerkSession</c>: <c>POST /sessions</c>, which Clerk allows on development instances only.</summary>
public sealed class NewSessionOperation : ApiOperation
{
    public NewSessionOperation(ICommandHost host, ClerkConnection connection)
        : base(host, connection)
    {
    }

    public void Create(string userId, string? activeOrganizationId)
    {
        var target = activeOrganizationId is null ? $"user {userId}" : $"user {userId} in organization {activeOrganizationId}";
        if (!Host.ShouldProcess(target, "Create a Clerk session"))
        {
            return;
        }

        if (Connection.Environment == Core.ClerkEnvironment.Production)
        {
            Host.WriteVerbose("The key is a production key (sk_live_); Clerk creates sessions this way on development instances only.");
        }

        StartAndWait((client, cancellationToken) => client.CreateSessionAsync(userId, activeOrganizationId, cancellationToken), userId, Host.WriteObject);
    }
}
