namespace ClerkSessions.Core.Tokens;

/// <summary>Why a session token was refused, in the order the checks run.</summary>
public enum SessionTokenFailure
{
    /// <summary>The token is valid.</summary>
    None,

    /// <summary>Not a JWT that can be read: structure, encoding, JSON, or a claim of the wrong type.</summary>
    Malformed,

    /// <summary>Signed with anything but RS256, including <c>none</c> and HMAC.</summary>
    UnsupportedAlgorithm,

    /// <summary>No signing key has the token's <c>kid</c>.</summary>
    UnknownKey,

    InvalidSignature,

    /// <summary>The token names no user: its <c>sub</c> claim is missing. Clerk's SDKs refuse such a token too.</summary>
    MissingSubject,

    Expired,
    NotYetValid,
    IssuedInFuture,

    /// <summary>The token's <c>sid</c> is not the session asked about.</summary>
    SessionMismatch,

    /// <summary>The token's <c>azp</c> is missing or not one of the parties allowed.</summary>
    AuthorizedPartyMismatch,
}
