namespace ClerkSessions.Core.Tokens;

/// <summary>
/// Networkless verification with the instance's PEM public key (<c>CLERK_JWT_KEY</c>). The one key is used whatever
/// <c>kid</c> a token names, as Clerk's own SDKs do with this key.
/// </summary>
public sealed class PemJwtKeySource : IJwtKeySource
{
    private readonly Task<JwtSigningKey?> _key;

    /// <exception cref="ArgumentException">The text is not an RSA public key of 2048 to 8192 bits; the message does not repeat it.</exception>
    public PemJwtKeySource(string jwtKey)
    {
        Key = RsaPublicKeyPem.Parse(jwtKey, nameof(jwtKey));
        _key = Task.FromResult<JwtSigningKey?>(Key);
    }

    public JwtSigningKey Key { get; }

    public Task<JwtSigningKey?> FindAsync(string? keyId, CancellationToken cancellationToken) => _key;

    public override string ToString() => "PEM public key, " + Key;
}
