using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Tests.Operations;

/// <summary>What the cmdlet hands the operation for ids given as an argument and for piped sessions.</summary>
internal static class RevokeInputs
{
    public static void Process(this RevokeSessionOperation revoke, IEnumerable<string> sessionIds) =>
        revoke.Process(sessionIds.Select(id => new SessionReference(id)));

    public static void Process(this RevokeSessionOperation revoke, IEnumerable<ClerkSession> sessions) =>
        revoke.Process(sessions.Select(SessionReference.From));
}
