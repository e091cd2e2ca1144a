using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClerkSessions.Emulator.Tokens;

/// <summary>
/// The instance's RS256 signing keys: the current one signs, the one before it still verifies (and is still served
/// by <c>GET /jwks</c>) after a rotation, so tokens issued just before a rotation stay valid, as with Clerk.
/// </summary>
internal sealed class SigningKeys : IDisposable
{
    private readonly object _gate = new();
    private readonly string _kidPrefix;
    private SigningKey _current;
    private SigningKey? _previous;
    private int _generation;

    public SigningKeys(string kidPrefix)
    {
        _kidPrefix = kidPrefix;
        _current = SigningKey.Create(KeyId(0));
    }

    public string CurrentKeyId
    {
        get
        {
            lock (_gate)
            {
                return _current.KeyId;
            }
        }
    }

    public string Rotate()
    {
        lock (_gate)
        {
            _previous?.Dispose();
            _previous = _current;
            _current = SigningKey.Create(KeyId(++_generation));
            return _current.KeyId;
        }
    }

    /// <summary>A signed compact JWT whose payload <paramref name="writeClaims"/> writes.</summary>
    public string Sign(Action<Utf8JsonWriter> writeClaims)
    {
        lock (_gate)
        {
            var header = Json.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("alg", "RS256");
                writer.WriteString("kid", _current.KeyId);
                writer.WriteString("typ", "JWT");
                writer.WriteEndObject();
            });
            var payload = Json.Write(writer =>
            {
                writer.WriteStartObject();
                writeClaims(writer);

                // Unique per token, as Clerk's: two tokens issued in the same second are still two tokens.
                writer.WriteString("jti", Guid.NewGuid().ToString("N").Substring(0, 20));
                writer.WriteEndObject();
            });
            var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(payload);
            return signingInput + "." + Base64Url.Encode(_current.Sign(Encoding.ASCII.GetBytes(signingInput)));
        }
    }

    /// <summary>The payload of a JWT one of these keys signed (expired or not), or null when it is not one.</summary>
    public JsonDocument? ReadSigned(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        var headerBytes = Base64Url.TryDecode(parts[0]);
        var payloadBytes = Base64Url.TryDecode(parts[1]);
        var signature = Base64Url.TryDecode(parts[2]);
        if (headerBytes is null || payloadBytes is null || signature is null)
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256"
                || !header.RootElement.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            lock (_gate)
            {
                var key = kid.GetString() == _current.KeyId ? _current : kid.GetString() == _previous?.KeyId ? _previous : null;
                if (key is null || !key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
                {
                    return null;
                }
            }

            var payload = JsonDocument.Parse(payloadBytes);
            if (payload.RootElement.ValueKind == JsonValueKind.Object)
            {
                return payload;
            }

            payload.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public byte[] JwksJson()
    {
        lock (_gate)
        {
            return Json.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                _current.WriteJwk(writer);
                _previous?.WriteJwk(writer);
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            _previous?.Dispose();
        }
    }

    private string KeyId(int generation) => generation == 0 ? _kidPrefix : _kidPrefix + "_" + generation.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class SigningKey : IDisposable
    {
        private readonly RSA _rsa;
        private readonly RSAParameters _public;

        private SigningKey(string keyId, RSA rsa)
        {
            KeyId = keyId;
            _rsa = rsa;
            _public = rsa.ExportParameters(includePrivateParameters: false);
        }

        public string KeyId { get; }

        public static SigningKey Create(string keyId)
        {
            var rsa = RSA.Create();
            rsa.KeySize = 2048;
            if (rsa.ExportParameters(false).Modulus!.Length < 256)
            {
                // .NET Framework's RSA.Create() is an RSACryptoServiceProvider, which ignores KeySize once created.
                rsa.Dispose();
                rsa = new RSACryptoServiceProvider(2048);
            }

            return new SigningKey(keyId, rsa);
        }

        public byte[] Sign(byte[] data) => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public bool Verify(byte[] data, byte[] signature) => _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public void WriteJwk(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("use", "sig");
            writer.WriteString("kty", "RSA");
            writer.WriteString("kid", KeyId);
            writer.WriteString("alg", "RS256");
            writer.WriteString("n", Base64Url.Encode(_public.Modulus!));
            writer.WriteString("e", Base64Url.Encode(_public.Exponent!));
            writer.WriteEndObject();
        }

        public void Dispose() => _rsa.Dispose();
    }
}
