using System.Management.Automation;
using ClerkSessions.Core.Models;
using ClerkSessions.Core.Tokens;
using ClerkSessions.Core;

namespace ClerkSessions.Operations;

/// <summary>What <c>Test-ClerkSession -Token</c> checks a token against.</summary>
public sealed class SessionTokenTest
{
    public SessionTokenTest(string token) => Token = token;

    /// <summary>A token object from New-ClerkSessionToken or Update-ClerkSession: it must belong to the session it names.</summary>
    public static SessionTokenTest From(ClerkSessionToken token) =>
        new(SecureText.Reveal(token.Token, text => text)) { SessionId = token.SessionId };

    /// <summary>The JWT. It is never written, logged or put in an error.</summary>
    public string Token { get; }

    public string? SessionId { get; set; }
    public IReadOnlyCollection<string>? AuthorizedParties { get; set; }
    public TimeSpan ClockSkew { get; set; } = SessionTokenVerificationOptions.DefaultClockSkew;

    /// <summary>Writes the whole <see cref="SessionTokenVerification"/> instead of $true/$false.</summary>
    public bool Detailed { get; set; }

    /// <summary>The one session a token must belong to: <c>-SessionId</c> takes a list only when sessions are tested by id.</summary>
    public static string? OneSessionId(IReadOnlyList<string> sessionIds) => sessionIds.Count switch
    {
        0 => null,
        1 => sessionIds[0],
        _ => throw new CommandTerminatingException(CommandErrors.Terminating(
            "ClerkInvalidParameters", ErrorCategory.InvalidArgument, "-SessionId takes one id when a token is tested: the session the token must belong to.")),
    };
}
