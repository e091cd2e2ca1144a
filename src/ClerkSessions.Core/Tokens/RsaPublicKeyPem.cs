using System.Formats.Asn1;

namespace ClerkSessions.Core.Tokens;

/// <summary>
/// Reads the instance's public key as Clerk hands it out (<c>CLERK_JWT_KEY</c>): PEM <c>PUBLIC KEY</c>
/// (SubjectPublicKeyInfo) or <c>RSA PUBLIC KEY</c> (PKCS#1), or the bare base64 body of either; line breaks may be
/// real or written as literal <c>\n</c>. Errors say what is wrong and never repeat the key text.
/// </summary>
internal static class RsaPublicKeyPem
{
    private const string SubjectPublicKeyInfoLabel = "PUBLIC KEY";
    private const string Pkcs1Label = "RSA PUBLIC KEY";
    private const string Advice = " Give the instance's PEM public key (-----BEGIN PUBLIC KEY-----), as CLERK_JWT_KEY holds it.";

    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    private static readonly Dictionary<string, string> OtherAlgorithms = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.2.1"] = "an EC",
        ["1.3.101.112"] = "an Ed25519",
        ["1.3.101.113"] = "an Ed448",
        ["1.2.840.113549.1.1.10"] = "an RSASSA-PSS-only",
    };

    public static JwtSigningKey Parse(string text, string parameterName)
    {
        if (text is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        var (label, der) = Decode(text, parameterName);
        byte[] modulus, exponent;
        try
        {
            (modulus, exponent) = label switch
            {
                SubjectPublicKeyInfoLabel => ReadSubjectPublicKeyInfo(OnlySequence(der), parameterName),
                Pkcs1Label => ReadRsaPublicKey(OnlySequence(der)),
                _ => ReadEither(OnlySequence(der), parameterName),
            };
        }
        catch (AsnContentException)
        {
            throw new ClerkInvalidArgumentException("The JWT key is not a valid RSA public key: its DER encoding cannot be read." + Advice, parameterName);
        }

        return JwtSigningKey.TryCreate(null, modulus, exponent, out var problem)
            ?? throw new ClerkInvalidArgumentException("The JWT key cannot be used: " + problem, parameterName);
    }

    private static (string? Label, byte[] Der) Decode(string text, string parameterName)
    {
        const string begin = "-----BEGIN ";
        const string dashes = "-----";
        var normalized = text.Replace("\\r", "\n").Replace("\\n", "\n").Trim();
        if (normalized.Length == 0)
        {
            throw new ClerkInvalidArgumentException("The JWT key is empty." + Advice, parameterName);
        }

        string? label = null;
        var body = normalized;
        if (normalized.StartsWith(begin, StringComparison.Ordinal))
        {
            var labelEnd = normalized.IndexOf(dashes, begin.Length, StringComparison.Ordinal);
            if (labelEnd < 0)
            {
                throw new ClerkInvalidArgumentException("The JWT key's PEM header line is incomplete." + Advice, parameterName);
            }

            label = normalized.Substring(begin.Length, labelEnd - begin.Length);
            CheckLabel(label, parameterName);
            var footer = "-----END " + label + dashes;
            var bodyStart = labelEnd + dashes.Length;
            var footerStart = normalized.IndexOf(footer, bodyStart, StringComparison.Ordinal);
            if (footerStart < 0 || footerStart + footer.Length != normalized.Length)
            {
                throw new ClerkInvalidArgumentException("The JWT key must be exactly one PEM block, with its matching END line." + Advice, parameterName);
            }

            body = normalized.Substring(bodyStart, footerStart - bodyStart);
        }

        return (label, DecodeBase64(body) ?? throw new ClerkInvalidArgumentException("The JWT key is neither PEM nor base64." + Advice, parameterName));
    }

    private static void CheckLabel(string label, string parameterName)
    {
        if (label is SubjectPublicKeyInfoLabel or Pkcs1Label)
        {
            return;
        }

        var what = label.IndexOf("PRIVATE KEY", StringComparison.Ordinal) >= 0 ? "a private key; it must never leave the server it signs on"
            : label.IndexOf("CERTIFICATE", StringComparison.Ordinal) >= 0 ? "a certificate"
            : "a PEM block of a kind this module does not read";
        throw new ClerkInvalidArgumentException("The JWT key is " + what + "." + Advice, parameterName);
    }

    /// <summary>Standard base64 with optional padding; whitespace anywhere is ignored, any other character refused.</summary>
    private static byte[]? DecodeBase64(string body)
    {
        var compact = new string(body.Where(character => character is not (' ' or '\t' or '\r' or '\n')).ToArray());
        var padding = compact.Length - compact.TrimEnd('=').Length;
        var valid = compact.Length > 0 && compact.Length % 4 == 0 && padding <= 2
            && compact.Take(compact.Length - padding).All(character => character is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/');
        return valid ? Convert.FromBase64String(compact) : null;
    }

    /// <summary>The content of the one SEQUENCE that <paramref name="der"/> must be, read as strict DER.</summary>
    private static AsnReader OnlySequence(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        return sequence;
    }

    /// <summary>The body without armour: a SubjectPublicKeyInfo starts with a SEQUENCE, a PKCS#1 key with an INTEGER.</summary>
    private static (byte[] Modulus, byte[] Exponent) ReadEither(AsnReader key, string parameterName)
    {
        if (key.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            return ReadSubjectPublicKeyInfo(key, parameterName);
        }

        // PKCS#1 and PKCS#8 private keys start with a small version number where a public key has its modulus.
        var modulus = ReadUnsignedInteger(key);
        if (modulus.Length == 1 && modulus[0] <= 1 && key.HasData)
        {
            throw new ClerkInvalidArgumentException("The JWT key is a private key; it must never leave the server it signs on." + Advice, parameterName);
        }

        var exponent = ReadUnsignedInteger(key);
        key.ThrowIfNotEmpty();
        return (modulus, exponent);
    }

    /// <summary>The content of SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID, parameters }, BIT STRING { RSAPublicKey } }.</summary>
    private static (byte[] Modulus, byte[] Exponent) ReadSubjectPublicKeyInfo(AsnReader info, string parameterName)
    {
        var algorithm = info.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (oid != RsaEncryption)
        {
            var name = OtherAlgorithms.TryGetValue(oid, out var known) ? known : "a non-RSA";
            throw new ClerkInvalidArgumentException("The JWT key is " + name + " key; Clerk signs session tokens with RSA (RS256)." + Advice, parameterName);
        }

        // RFC 3279 asks for NULL parameters; some encoders leave them out.
        if (algorithm.HasData)
        {
            algorithm.ReadNull();
        }

        algorithm.ThrowIfNotEmpty();
        var publicKey = info.ReadBitString(out var unusedBits);
        info.ThrowIfNotEmpty();
        return unusedBits == 0 ? ReadRsaPublicKey(OnlySequence(publicKey)) : throw new AsnContentException();
    }

    /// <summary>The content of RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.</summary>
    private static (byte[] Modulus, byte[] Exponent) ReadRsaPublicKey(AsnReader key)
    {
        var modulus = ReadUnsignedInteger(key);
        var exponent = ReadUnsignedInteger(key);
        key.ThrowIfNotEmpty();
        return (modulus, exponent);
    }

    /// <summary>A non-negative INTEGER, big-endian (a leading zero octet kept where the sign needs it).</summary>
    private static byte[] ReadUnsignedInteger(AsnReader reader)
    {
        // The reader refuses what DER does not allow (no content, a needless leading octet); a negative value is valid DER but no key.
        var value = reader.ReadIntegerBytes().Span;
        return (value[0] & 0x80) == 0 ? value.ToArray() : throw new AsnContentException();
    }
}
