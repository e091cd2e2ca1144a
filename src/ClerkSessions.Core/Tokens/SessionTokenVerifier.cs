using System.Globalization;
using static ClerkSessions.Core.Tokens.SessionTokenVerification;

namespace ClerkSessions.Core.Tokens;

/// <summary>
/// Networkless verification of a Clerk session token (a JWT signed RS256): structure, algorithm, signature by the
/// key its <c>kid</c> names, a subject (<c>sub</c>), lifetime, then the session and authorized party when asked for. A bad token of any kind
/// is an invalid result, never an exception; only cancellation and a failure to get the keys throw.
/// </summary>
public static class SessionTokenVerifier
{
    /// <summary>Longer tokens are refused unread; Clerk's are around a kilobyte.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>The one algorithm accepted, whatever the key or the token's header would allow.</summary>
    public const string Algorithm = "RS256";

    public static async Task<SessionTokenVerification> VerifyAsync(string? token, SessionTokenVerificationOptions options, IJwtKeySource keys, CancellationToken cancellationToken = default)
    {
        CheckArguments(options, keys);
        cancellationToken.ThrowIfCancellationRequested();

        var parsed = ParsedSessionToken.TryParse(token, out var problem);
        if (parsed is null)
        {
            return Malformed(problem);
        }

        // Before any key is looked up: "none", HMAC keyed with the public key and the like never get near a key.
        if (parsed.Algorithm != Algorithm)
        {
            return Invalid(SessionTokenFailure.UnsupportedAlgorithm, $"The token is signed with {Redaction.Quote(parsed.Algorithm)}; only {Algorithm} is accepted.", parsed);
        }

        var key = await keys.FindAsync(parsed.KeyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Invalid(SessionTokenFailure.UnknownKey, parsed.KeyId is null
                ? "The token names no signing key (kid)."
                : $"None of the instance's signing keys has the token's key id {Redaction.Quote(parsed.KeyId)}.", parsed);
        }

        if (!key.Verify(parsed.SignedData, parsed.Signature))
        {
            return Invalid(SessionTokenFailure.InvalidSignature, $"The token's signature does not match the signing key ({key}).", parsed);
        }

        return CheckClaims(parsed, options);
    }

    private static SessionTokenVerification CheckClaims(ParsedSessionToken token, SessionTokenVerificationOptions options)
    {
        // As @clerk/backend's verifyToken: sub must be a string (a non-string one is malformed), though it may be empty.
        if (token.UserId is null)
        {
            return Invalid(SessionTokenFailure.MissingSubject, "The token names no user (sub); Clerk session tokens always do.", token);
        }

        var now = options.Now();
        var skew = options.ClockSkew;
        var skewText = skew.ToString("c", CultureInfo.InvariantCulture);
        if (token.ExpiresAt is DateTimeOffset expires && now - expires >= skew)
        {
            return Invalid(SessionTokenFailure.Expired, $"The token expired at {Time(expires)} (clock skew {skewText}).", token);
        }

        if (token.NotBefore is DateTimeOffset notBefore && notBefore - now > skew)
        {
            return Invalid(SessionTokenFailure.NotYetValid, $"The token is not valid before {Time(notBefore)} (clock skew {skewText}).", token);
        }

        if (token.IssuedAt is DateTimeOffset issued && issued - now > skew)
        {
            return Invalid(SessionTokenFailure.IssuedInFuture, $"The token was issued at {Time(issued)}, in the future (clock skew {skewText}).", token);
        }

        if (options.SessionId is string sessionId && !string.Equals(token.SessionId, sessionId, StringComparison.Ordinal))
        {
            return Invalid(SessionTokenFailure.SessionMismatch, token.SessionId is null
                ? $"The token names no session (sid), not {Redaction.Quote(sessionId)}."
                : $"The token is for session {Redaction.Quote(token.SessionId)}, not {Redaction.Quote(sessionId)}.", token);
        }

        if (options.AuthorizedParties is { Count: > 0 } parties && (token.AuthorizedParty is null || !parties.Contains(token.AuthorizedParty, StringComparer.Ordinal)))
        {
            var allowed = string.Join(", ", parties.Select(Redaction.Quote));
            return Invalid(SessionTokenFailure.AuthorizedPartyMismatch, token.AuthorizedParty is null
                ? $"The token names no authorized party (azp); one of {allowed} is required."
                : $"The token's authorized party {Redaction.Quote(token.AuthorizedParty)} is not one of {allowed}.", token);
        }

        return Valid(token);
    }

    private static void CheckArguments(SessionTokenVerificationOptions options, IJwtKeySource keys)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (keys is null)
        {
            throw new ArgumentNullException(nameof(keys));
        }

        // An empty requirement would match nothing (or, worse, be read as no requirement): refuse it outright.
        if (options.SessionId is { } sessionId && string.IsNullOrWhiteSpace(sessionId))
        {
            throw new ClerkInvalidArgumentException("The session id to match cannot be empty.", nameof(options));
        }

        if (options.AuthorizedParties?.Any(string.IsNullOrWhiteSpace) == true)
        {
            throw new ClerkInvalidArgumentException("An authorized party cannot be empty.", nameof(options));
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
