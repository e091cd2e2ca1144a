using System.Security;

namespace ClerkSessions.Core;

/// <summary>The instance the key belongs to, read from the key's prefix.</summary>
public enum ClerkEnvironment
{
    Development,
    Production,
}

/// <summary>
/// A Clerk secret key, kept in a <see cref="SecureString"/> and turned into plain text only for the moment an
/// Authorization header is built. Its <see cref="ToString"/>, <see cref="Masked"/> form and every message about
/// it show the prefix and last four characters, never the key.
/// </summary>
public sealed class ClerkSecretKey : IDisposable
{
    private const string TestPrefix = "sk_test_";
    private const string LivePrefix = "sk_live_";
    private readonly SecureString _secret;

    private ClerkSecretKey(SecureString secret, ClerkEnvironment environment, string masked)
    {
        _secret = secret;
        Environment = environment;
        Masked = masked;
    }

    public ClerkEnvironment Environment { get; }

    /// <summary>For example <c>sk_test_…wxyz</c>.</summary>
    public string Masked { get; }

    /// <summary>Takes a copy of <paramref name="secretKey"/>; the caller keeps ownership of its own instance.</summary>
    public static ClerkSecretKey FromSecureString(SecureString secretKey)
    {
        if (secretKey is null)
        {
            throw new ArgumentNullException(nameof(secretKey));
        }

        return SecureText.Reveal(secretKey, FromPlainText);
    }

    public static ClerkSecretKey FromPlainText(string secretKey)
    {
        var (environment, masked) = Describe(secretKey);
        return new ClerkSecretKey(SecureText.From(secretKey), environment, masked);
    }

    /// <summary>Checks the key's shape and says what is wrong without repeating the key.</summary>
    private static (ClerkEnvironment Environment, string Masked) Describe(string? secretKey)
    {
        if (string.IsNullOrWhiteSpace(secretKey))
        {
            throw new ClerkInvalidArgumentException("The Clerk secret key is empty.", nameof(secretKey));
        }

        var environment = secretKey!.StartsWith(TestPrefix, StringComparison.Ordinal) ? ClerkEnvironment.Development
            : secretKey.StartsWith(LivePrefix, StringComparison.Ordinal) ? ClerkEnvironment.Production
            : throw new ClerkInvalidArgumentException(
                "This is not a Clerk secret key: a secret key starts with 'sk_test_' (development) or 'sk_live_' " +
                "(production). Copy it from the API keys page of the Clerk Dashboard.",
                nameof(secretKey));

        var body = secretKey.Substring(TestPrefix.Length);
        if (body.Length < 8 || body.Any(character => char.IsWhiteSpace(character) || char.IsControl(character)))
        {
            throw new ClerkInvalidArgumentException(
                "The Clerk secret key is malformed: after its prefix it must be at least 8 characters with no " +
                "spaces or control characters.",
                nameof(secretKey));
        }

        var prefix = secretKey.Substring(0, TestPrefix.Length);
        return (environment, prefix + "\u2026" + body.Substring(body.Length - 4));
    }

    /// <summary>Gives the plain key to <paramref name="use"/> and keeps no reference to it.</summary>
    internal T Use<T>(Func<string, T> use) => SecureText.Reveal(_secret, use);

    public override string ToString() => Masked;

    public void Dispose() => _secret.Dispose();
}
