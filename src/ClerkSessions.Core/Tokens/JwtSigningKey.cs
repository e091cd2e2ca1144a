using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace ClerkSessions.Core.Tokens;

/// <summary>An RSA public key that session tokens may be signed with (RS256 only).</summary>
public sealed class JwtSigningKey
{
    public const int MinimumKeySize = 2048;
    public const int MaximumKeySize = 8192;

    private readonly byte[] _modulus;
    private readonly byte[] _exponent;

    // Building an RSA instance (create, import) costs about ten times the verification itself, and RSA objects are not
    // documented as safe to share between threads: each verification borrows one no other thread is using.
    private readonly ConcurrentBag<RSA> _idle = new();

    private JwtSigningKey(string? keyId, byte[] modulus, byte[] exponent, int keySize)
    {
        KeyId = keyId;
        _modulus = modulus;
        _exponent = exponent;
        KeySize = keySize;
    }

    /// <summary>The JWKS <c>kid</c>; null for a key given as PEM.</summary>
    public string? KeyId { get; }

    /// <summary>The modulus length in bits.</summary>
    public int KeySize { get; }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "RSA {0} {1}", KeySize, KeyId ?? "(PEM)");

    /// <summary>
    /// A key from big-endian modulus and exponent, or null with the reason when it is not one this module verifies
    /// with: 2048 to 8192 bits, an odd exponent of at most four octets (what every platform's RSA accepts).
    /// </summary>
    internal static JwtSigningKey? TryCreate(string? keyId, byte[] modulus, byte[] exponent, out string? problem)
    {
        modulus = TrimLeadingZeros(modulus);
        exponent = TrimLeadingZeros(exponent);
        var bits = BitLength(modulus);
        if (bits < MinimumKeySize || bits > MaximumKeySize)
        {
            problem = string.Format(CultureInfo.InvariantCulture, "The RSA key has {0} bits; {1} to {2} are accepted.", bits, MinimumKeySize, MaximumKeySize);
            return null;
        }

        if (exponent.Length is 0 or > 4 || (exponent[exponent.Length - 1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            problem = "The RSA public exponent is not usable.";
            return null;
        }

        problem = null;
        return new JwtSigningKey(keyId, modulus, exponent, bits);
    }

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 over <paramref name="data"/>; any failure of the platform's RSA is a mismatch.</summary>
    internal bool Verify(byte[] data, byte[] signature)
    {
        if (signature.Length != _modulus.Length)
        {
            return false;
        }

        RSA? rsa = null;
        try
        {
            if (!_idle.TryTake(out rsa))
            {
                rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = _modulus, Exponent = _exponent });
            }

            var valid = rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            _idle.Add(rsa);
            return valid;
        }
        catch (CryptographicException)
        {
            // An instance that failed is not trusted again.
            rsa?.Dispose();
            return false;
        }
    }

    private static int BitLength(byte[] magnitude)
    {
        if (magnitude.Length == 0)
        {
            return 0;
        }

        var bits = (magnitude.Length - 1) * 8;
        for (int top = magnitude[0]; top != 0; top >>= 1)
        {
            bits++;
        }

        return bits;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var zeros = 0;
        while (zeros < value.Length && value[zeros] == 0)
        {
            zeros++;
        }

        return zeros == 0 ? value : value.Skip(zeros).ToArray();
    }
}
