using System.Globalization;

namespace ClerkSessions.Core.Tokens;

/// <summary>
/// The outcome of verifying a session token (<c>Test-ClerkSessionToken -Detailed</c>). The ids, times and claims are read
/// from the token whenever it could be parsed, so a refusal can be explained; they are trustworthy only when
/// <see cref="IsValid"/> is true. The token itself is never part of it.
/// </summary>
public sealed class SessionTokenVerification
{
    private SessionTokenVerification(SessionTokenFailure failure, string message, ParsedSessionToken? token)
    {
        FailureReason = failure;
        Message = message;
        SessionId = token?.SessionId;
        UserId = token?.UserId;
        AuthorizedParty = token?.AuthorizedParty;
        Issuer = token?.Issuer;
        KeyId = token?.KeyId;
        IssuedAt = token?.IssuedAt;
        NotBefore = token?.NotBefore;
        ExpiresAt = token?.ExpiresAt;
        Claims = token?.Claims ?? new SortedDictionary<string, object?>(StringComparer.Ordinal);
    }

    public bool IsValid => FailureReason == SessionTokenFailure.None;

    /// <summary><see cref="SessionTokenFailure.None"/> for a valid token.</summary>
    public SessionTokenFailure FailureReason { get; }

    /// <summary>One sentence: why the token was refused, or that it is valid.</summary>
    public string Message { get; }

    /// <summary>The session (<c>sid</c>).</summary>
    public string? SessionId { get; }

    /// <summary>The user (<c>sub</c>).</summary>
    public string? UserId { get; }

    /// <summary>The origin the token was issued to (<c>azp</c>).</summary>
    public string? AuthorizedParty { get; }

    /// <summary>The instance's Frontend API URL (<c>iss</c>).</summary>
    public string? Issuer { get; }

    /// <summary>The signing key the token names (<c>kid</c> in its header).</summary>
    public string? KeyId { get; }

    public DateTimeOffset? IssuedAt { get; }
    public DateTimeOffset? NotBefore { get; }
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Every claim of the payload, sorted by name, as plain values (string, long, double, bool, null, lists, dictionaries).</summary>
    public IReadOnlyDictionary<string, object?> Claims { get; }

    public override string ToString() => IsValid
        ? Message
        : string.Format(CultureInfo.InvariantCulture, "Invalid session token ({0}): {1}", FailureReason, Message);

    internal static SessionTokenVerification Valid(ParsedSessionToken token) =>
        new(SessionTokenFailure.None, token.SessionId is null ? "The token is valid." : "The token is valid for session " + Redaction.Quote(token.SessionId) + ".", token);

    internal static SessionTokenVerification Malformed(string message) => new(SessionTokenFailure.Malformed, message, null);

    internal static SessionTokenVerification Invalid(SessionTokenFailure failure, string message, ParsedSessionToken token) => new(failure, message, token);
}
