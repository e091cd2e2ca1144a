namespace ClerkSessions.Core;

/// <summary>
/// A value the caller gave that Clerk would not accept (or that could not be sent safely), refused before anything
/// is sent. Only this kind of <see cref="ArgumentException"/> is the user's mistake: any other is a bug.
/// </summary>
public sealed class ClerkInvalidArgumentException : ArgumentException
{
    public ClerkInvalidArgumentException(string message, string? parameterName = null)
        : base(message, parameterName)
    {
    }
}
