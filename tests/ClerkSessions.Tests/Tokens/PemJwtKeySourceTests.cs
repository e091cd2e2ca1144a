using System.Security.Cryptography;
using ClerkSessions.Core;
using ClerkSessions.Core.Tokens;
using static ClerkSessions.Tests.Tokens.TokenFactory;

namespace ClerkSessions.Tests.Tokens;

/// <summary>Fully offline verification with the instance's PEM public key (<c>-JwtKey</c>, <c>CLERK_JWT_KEY</c>).</summary>
public sealed class PemJwtKeySourceTests
{
    // Shared by the class's tests (which xunit runs one at a time): making RSA keys is the slow part.
    private static readonly TestSigningKey Key = new("ins_key_1");
    private static readonly TestSigningKey Other = new("ins_key_1");


    private static string Body(string pem) => string.Concat(pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));

    public static TheoryData<string> Spellings => new()
    {
        "spki", "pkcs1", "spki-bare", "pkcs1-bare", "spki-escaped", "spki-crlf", "spki-one-line", "spki-padded", "spki-bare-wrapped", "spki-escaped-crlf",
    };

    private string Spell(string spelling)
    {
        var spki = Key.Rsa.ExportSubjectPublicKeyInfoPem();
        var pkcs1 = Key.Rsa.ExportRSAPublicKeyPem();
        return spelling switch
        {
            "spki" => spki,
            "pkcs1" => pkcs1,
            "spki-bare" => Body(spki),
            "pkcs1-bare" => Body(pkcs1),
            "spki-escaped" => spki.Replace("\n", "\\n", StringComparison.Ordinal),
            "spki-escaped-crlf" => spki.Replace("\n", "\\r\\n", StringComparison.Ordinal),
            "spki-crlf" => spki.Replace("\n", "\r\n", StringComparison.Ordinal),
            "spki-one-line" => spki.Replace("\n", " ", StringComparison.Ordinal),
            "spki-padded" => "\n\t  " + spki + "\n\n",
            "spki-bare-wrapped" => string.Join("\n", Body(spki).Chunk(64).Select(chunk => new string(chunk))),
            _ => throw new ArgumentOutOfRangeException(nameof(spelling)),
        };
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Every_spelling_of_the_public_key_verifies_a_token(string spelling)
    {
        var keys = new PemJwtKeySource(Spell(spelling));

        var result = await SessionTokenVerifier.VerifyAsync(Key.Sign(Claims()), Options(), keys);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2048, keys.Key.KeySize);
        Assert.Null(keys.Key.KeyId);
    }

    [Fact]
    public async Task The_key_is_used_whatever_kid_the_token_names()
    {
        var keys = new PemJwtKeySource(Key.Rsa.ExportSubjectPublicKeyInfoPem());

        var otherKid = await SessionTokenVerifier.VerifyAsync(Sign(Key.Rsa, Header("RS256", "ins_anything"), Claims()), Options(), keys);
        var noKid = await SessionTokenVerifier.VerifyAsync(Sign(Key.Rsa, Header("RS256", kid: null), Claims()), Options(), keys);

        Assert.True(otherKid.IsValid, otherKid.Message);
        Assert.Equal("ins_anything", otherKid.KeyId);
        Assert.True(noKid.IsValid, noKid.Message);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        var keys = new PemJwtKeySource(Other.Rsa.ExportSubjectPublicKeyInfoPem());

        var result = await SessionTokenVerifier.VerifyAsync(Key.Sign(Claims()), Options(), keys);

        Assert.Equal(SessionTokenFailure.InvalidSignature, result.FailureReason);
        Assert.Equal("The token's signature does not match the signing key (RSA 2048 (PEM)).", result.Message);
    }

    [Fact]
    public async Task One_key_verifies_from_many_threads_at_once_good_and_tampered_tokens_alike()
    {
        // The key keeps the RSA instances it built for later verifications; none may be used by two at once.
        var keys = new PemJwtKeySource(Key.Rsa.ExportSubjectPublicKeyInfoPem());
        var good = Key.Sign(Claims());
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(Signature(good));
        signature[100] ^= 1;
        var tampered = good[..(good.LastIndexOf('.') + 1)] + Encode(signature);

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(index =>
            Task.Run(() => SessionTokenVerifier.VerifyAsync(index % 2 == 0 ? good : tampered, Options(), keys))));

        Assert.All(results.Where((_, index) => index % 2 == 0), result => Assert.True(result.IsValid, result.Message));
        Assert.All(results.Where((_, index) => index % 2 == 1), result => Assert.Equal(SessionTokenFailure.InvalidSignature, result.FailureReason));
    }

    [Fact]
    public async Task Larger_keys_work_too()
    {
        using var large = new TestSigningKey("ins_large", 3072);
        var keys = new PemJwtKeySource(large.Rsa.ExportRSAPublicKeyPem());

        var result = await SessionTokenVerifier.VerifyAsync(large.Sign(Claims()), Options(), keys);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(3072, keys.Key.KeySize);
    }

    public static TheoryData<string, string> PrivateKeys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TheoryData<string, string>
        {
            { rsa.ExportPkcs8PrivateKeyPem(), "private key" },
            { rsa.ExportRSAPrivateKeyPem(), "private key" },
            { Body(rsa.ExportPkcs8PrivateKeyPem()), "private key" },
            { Body(rsa.ExportRSAPrivateKeyPem()), "private key" },
            { rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), "private key" },
            { ec.ExportECPrivateKeyPem(), "private key" },
            { Body(ec.ExportECPrivateKeyPem()), "private key" },
            { ec.ExportSubjectPublicKeyInfoPem(), "an EC key" },
            { Body(ec.ExportSubjectPublicKeyInfoPem()), "an EC key" },
        };
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void Private_and_non_RSA_keys_are_refused_without_repeating_them(string pem, string expected)
    {
        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new PemJwtKeySource(pem));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("jwtKey", error.ParamName);
        AssertKeyNotRepeated(pem, error);
    }

    [Fact]
    public void Ed25519_and_RSA_PSS_keys_are_named_when_refused()
    {
        // SubjectPublicKeyInfo with the Ed25519 OID and a 32-octet key; and an RSASSA-PSS key (OID 1.2.840.113549.1.1.10).
        var ed25519 = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----";
        var spki = Key.Rsa.ExportSubjectPublicKeyInfo();
        var pss = (byte[])spki.Clone();
        Assert.Equal(new byte[] { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 }, pss[6..17]);
        pss[16] = 0x0A;

        Assert.Contains("an Ed25519 key", Assert.Throws<ClerkInvalidArgumentException>(() => new PemJwtKeySource(ed25519)).Message, StringComparison.Ordinal);
        Assert.Contains("an RSASSA-PSS-only key", Assert.Throws<ClerkInvalidArgumentException>(() => new PemJwtKeySource(Convert.ToBase64String(pss))).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Garbage()
    {
        using var rsa = RSA.Create(2048);
        using var small = RSA.Create(1024);
        var spki = rsa.ExportSubjectPublicKeyInfoPem();
        var body = Body(spki);
        var der = rsa.ExportSubjectPublicKeyInfo();
        return new TheoryData<string, string>
        {
            { "", "empty" },
            { "  \n\\n ", "empty" },
            { "hello world", "neither PEM nor base64" },
            { "{\"kty\":\"RSA\"}", "neither PEM nor base64" },
            { body.Replace('+', '-').Replace('/', '_'), "neither PEM nor base64" },
            { body + "=", "neither PEM nor base64" },
            { body.Substring(0, body.Length - 4), "DER encoding" },
            { "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "DER encoding" },
            { "-----BEGIN PUBLIC KEY-----\n" + body + "\n", "exactly one PEM block" },
            { "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END RSA PUBLIC KEY-----", "exactly one PEM block" },
            { spki + spki, "exactly one PEM block" },
            { spki + "trailing", "exactly one PEM block" },
            { "-----BEGIN PUBLIC KEY", "header line is incomplete" },
            { "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----", "a certificate" },
            { "-----BEGIN SOMETHING-----\n" + body + "\n-----END SOMETHING-----", "of a kind this module does not read" },
            { spki.Replace("PUBLIC KEY", "RSA PUBLIC KEY", StringComparison.Ordinal), "DER encoding" },
            { rsa.ExportRSAPublicKeyPem().Replace("RSA PUBLIC KEY", "PUBLIC KEY", StringComparison.Ordinal), "DER encoding" },
            { Convert.ToBase64String([.. der, 0x00]), "DER encoding" },
            { Convert.ToBase64String(der[..^1]), "DER encoding" },
            { small.ExportSubjectPublicKeyInfoPem(), "1024 bits" },
            { Body(small.ExportRSAPublicKeyPem()), "1024 bits" },
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Anything_else_is_refused_with_a_reason_and_without_the_text(string text, string expected)
    {
        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new PemJwtKeySource(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        AssertKeyNotRepeated(text, error);
    }

    [Fact]
    public void Null_is_an_argument_null_error()
    {
        Assert.Throws<ArgumentNullException>(() => new PemJwtKeySource(null!));
    }

    public static TheoryData<string> NonDerEncodings => new()
    {
        // Each is a SubjectPublicKeyInfo with one thing BER (or nothing) allows and DER does not.
        "indefinite",
        "long-form-for-short",
        "leading-zero-length",
        "negative-modulus",
        "padded-integer",
        "unused-bits",
        "non-null-parameters",
        "empty-modulus",
        "non-minimal-oid",
    };

    [Theory]
    [MemberData(nameof(NonDerEncodings))]
    public void Encodings_that_are_not_strict_DER_are_refused(string variant)
    {
        var parameters = Key.Rsa.ExportParameters(false);
        var modulus = parameters.Modulus!;
        var rsaPublicKey = Tlv(0x30, [.. Tlv(0x02, [0x00, .. modulus]), .. Tlv(0x02, parameters.Exponent!)]);
        byte[] algorithm = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00];
        byte[] der = variant switch
        {
            "indefinite" => [0x30, 0x80, .. algorithm, .. Tlv(0x03, [0x00, .. rsaPublicKey]), 0x00, 0x00],
            "long-form-for-short" => Spki([0x30, 0x81, .. algorithm[1..]], rsaPublicKey),
            "leading-zero-length" => [0x30, 0x83, 0x00, .. Length(algorithm.Length + Tlv(0x03, [0x00, .. rsaPublicKey]).Length)[1..], .. algorithm, .. Tlv(0x03, [0x00, .. rsaPublicKey])],
            "negative-modulus" => Spki(algorithm, Tlv(0x30, [.. Tlv(0x02, modulus), .. Tlv(0x02, parameters.Exponent!)])),
            "padded-integer" => Spki(algorithm, Tlv(0x30, [.. Tlv(0x02, [0x00, .. modulus]), .. Tlv(0x02, [0x00, .. parameters.Exponent!])])),
            "unused-bits" => Tlv(0x30, [.. algorithm, .. Tlv(0x03, [0x01, .. rsaPublicKey])]),
            "empty-modulus" => Spki(algorithm, Tlv(0x30, [0x02, 0x00, .. Tlv(0x02, parameters.Exponent!)])),
            // The rsaEncryption OID with its first sub-identifier padded by a 0x80 octet.
            "non-minimal-oid" => Spki([0x30, 0x0E, 0x06, 0x0A, 0x80, .. algorithm[4..]], rsaPublicKey),
            _ => Spki([0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x04, 0x00], rsaPublicKey),
        };
        var valid = Spki(algorithm, rsaPublicKey);

        Assert.NotNull(new PemJwtKeySource(Convert.ToBase64String(valid)).Key);
        var error = Assert.Throws<ClerkInvalidArgumentException>(() => new PemJwtKeySource(Convert.ToBase64String(der)));
        Assert.Contains("DER encoding", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Spki(byte[] algorithm, byte[] rsaPublicKey) => Tlv(0x30, [.. algorithm, .. Tlv(0x03, [0x00, .. rsaPublicKey])]);

    private static byte[] Tlv(byte tag, byte[] content) => [tag, .. Length(content.Length), .. content];

    private static byte[] Length(int length) => length switch
    {
        < 0x80 => [(byte)length],
        < 0x100 => [0x81, (byte)length],
        < 0x10000 => [0x82, (byte)(length >> 8), (byte)length],
        _ => [0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    };

    /// <summary>No run of 12 characters of the key's base64 (or of the text) appears in the message.</summary>
    private static void AssertKeyNotRepeated(string text, ArgumentException error)
    {
        var compact = new string(Body(text.Replace("\\n", "\n", StringComparison.Ordinal)).Where(character => !char.IsWhiteSpace(character)).ToArray());
        for (var start = 0; start + 12 <= compact.Length; start += 6)
        {
            Assert.DoesNotContain(compact.Substring(start, 12), error.Message, StringComparison.Ordinal);
        }
    }
}
