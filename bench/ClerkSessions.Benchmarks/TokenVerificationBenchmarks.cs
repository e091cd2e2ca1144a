using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ClerkSessions.Core.Tokens;
using Base64Url = System.Buffers.Text.Base64Url;

namespace ClerkSessions.Benchmarks;

/// <summary>
/// Networkless verification of a session token with the instance's PEM key (Test-ClerkSessionToken -JwtKey): a
/// token signed in setup with a fresh RSA 2048 key, with the claims Clerk's session tokens carry.
/// </summary>
[MemoryDiagnoser]
public class TokenVerificationBenchmarks
{
    private const string AuthorizedParty = "https://app.example.com";
    private RSA? _signer;
    private RSA? _cachedVerifier;
    private string _pem = "";
    private string _token = "";
    private string _tamperedToken = "";
    private byte[] _signedData = Array.Empty<byte>();
    private byte[] _signature = Array.Empty<byte>();
    private PemJwtKeySource? _keys;
    private SessionTokenVerificationOptions? _options;

    [GlobalSetup]
    public void Setup()
    {
        _signer = RSA.Create(2048);
        _pem = _signer.ExportSubjectPublicKeyInfoPem();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string sessionId = "sess_2eO7XMg7eWWuI0BLETNatLjpkLS";
        var header = Encode(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("kid", "ins_2BMbYhJOpvn0gEXWSwy11apGq37");
            w.WriteString("typ", "JWT");
        });
        var payload = Encode(w =>
        {
            w.WriteString("azp", AuthorizedParty);
            w.WriteNumber("exp", now + 3600);
            w.WriteStartArray("fva");
            w.WriteNumberValue(0);
            w.WriteNumberValue(-1);
            w.WriteEndArray();
            w.WriteNumber("iat", now);
            w.WriteString("iss", "https://clerk.example.com");
            w.WriteNumber("nbf", now - 10);
            w.WriteString("sid", sessionId);
            w.WriteString("sub", "user_2183Hn6nz41xwtAcHsh6vyxqhJb");
            w.WriteNumber("v", 2);
        });
        var signingInput = header + "." + payload;
        _signedData = Encoding.ASCII.GetBytes(signingInput);
        _signature = _signer.SignData(_signedData, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _token = signingInput + "." + Base64Url.EncodeToString(_signature);
        var tampered = (byte[])_signature.Clone();
        tampered[10] ^= 0x01;
        _tamperedToken = signingInput + "." + Base64Url.EncodeToString(tampered);

        _keys = new PemJwtKeySource(_pem);
        _options = new SessionTokenVerificationOptions { SessionId = sessionId, AuthorizedParties = new[] { AuthorizedParty } };
        _cachedVerifier = RSA.Create();
        _cachedVerifier.ImportFromPem(_pem);

        if (!Verify().IsValid || Tampered().IsValid)
        {
            throw new InvalidOperationException("The benchmark's tokens do not verify as intended.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer?.Dispose();
        _cachedVerifier?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "VerifyAsync, valid token")]
    public SessionTokenVerification Verify() => SessionTokenVerifier.VerifyAsync(_token, _options!, _keys!).GetAwaiter().GetResult();

    [Benchmark(Description = "VerifyAsync, bad signature")]
    public SessionTokenVerification Tampered() => SessionTokenVerifier.VerifyAsync(_tamperedToken, _options!, _keys!).GetAwaiter().GetResult();

    [Benchmark(Description = "new PemJwtKeySource (parse the PEM)")]
    public PemJwtKeySource ParsePem() => new(_pem);

    /// <summary>The floor: the RSA check alone, on an RSA object imported once (the verifier imports the key per call).</summary>
    [Benchmark(Description = "RSA VerifyData only, key imported once")]
    public bool RsaVerifyOnly() => _cachedVerifier!.VerifyData(_signedData, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static string Encode(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }
}
