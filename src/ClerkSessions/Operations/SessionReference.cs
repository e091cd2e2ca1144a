using ClerkSessions.Core.Models;

namespace ClerkSessions.Operations;

/// <summary>
/// A session as a pipeline hands it over: always an id (null when the input had none), and the user and status when
/// the input carried them (a session from Get-ClerkSession, or a row that lost its type: Select-Object, Import-Csv,
/// Import-Clixml). <see cref="Input"/> is what was piped, for the error that names it.
/// </summary>
public sealed class SessionReference
{
    public SessionReference(string? id, string? userId = null, string? status = null, object? input = null)
    {
        Id = id;
        UserId = string.IsNullOrEmpty(userId) ? null : userId;
        Status = string.IsNullOrEmpty(status) ? null : status;
        Input = input ?? id;
    }

    public string? Id { get; }
    public string? UserId { get; }
    public string? Status { get; }
    public object? Input { get; }

    public static SessionReference From(ClerkSession session) => new(session.Id, session.UserId, session.Status, session);

    /// <summary>The session as the messages name it: <c>sess_… (user user_…)</c>.</summary>
    public string Described => UserId is null ? Id ?? "" : $"{Id} (user {UserId})";
}
