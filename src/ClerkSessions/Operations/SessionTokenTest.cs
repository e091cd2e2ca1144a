using ClerkSessions.Core.Tokens;

namespace ClerkSessions.Operations;

/// <summary>What <c>Test-ClerkSessionToken</c> checks a token against.</summary>
public sealed class SessionTokenTest
{
    public SessionTokenTest(string token) => Token = token;

    /// <summary>The JWT. It is never written, logged or put in an error.</summary>
    public string Token { get; }

    public string? SessionId { get; set; }
    public IReadOnlyCollection<string>? AuthorizedParties { get; set; }
    public TimeSpan ClockSkew { get; set; } = SessionTokenVerificationOptions.DefaultClockSkew;

    /// <summary>Writes the whole <see cref="SessionTokenVerification"/> instead of $true/$false.</summary>
    public bool Detailed { get; set; }
}
