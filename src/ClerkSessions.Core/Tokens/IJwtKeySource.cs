namespace ClerkSessions.Core.Tokens;

/// <summary>Where <see cref="SessionTokenVerifier"/> finds the key a token says it was signed with.</summary>
public interface IJwtKeySource
{
    /// <summary>
    /// The key for the token's <c>kid</c> (null when the header has none), or null when there is no such key.
    /// Throws only when the keys cannot be had at all (for example, Clerk could not be reached).
    /// </summary>
    Task<JwtSigningKey?> FindAsync(string? keyId, CancellationToken cancellationToken);
}
