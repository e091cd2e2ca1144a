using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Reads a piped object as a session: a <see cref="ClerkSession"/>, a session id, or any object with a
/// <c>SessionId</c> or <c>Id</c> property and, when it has them, <c>UserId</c> and <c>Status</c> — what
/// Select-Object, Import-Csv and Import-Clixml leave of a session.
/// </summary>
internal static class SessionInput
{
    public static SessionReference Read(PSObject? input)
    {
        var value = input?.BaseObject;
        switch (value)
        {
            case null:
                return new SessionReference(null, input: null);
            case ClerkSession session:
                return SessionReference.From(session);
            case string text:
                return new SessionReference(text);
        }

        var id = Text(input!, "SessionId") ?? Text(input!, "Id");
        return new SessionReference(id, Text(input!, "UserId"), Text(input!, "Status"), input);
    }

    private static string? Text(PSObject input, string property)
    {
        var value = input.Properties[property]?.Value;
        return (value is PSObject wrapped ? wrapped.BaseObject : value) as string;
    }
}
