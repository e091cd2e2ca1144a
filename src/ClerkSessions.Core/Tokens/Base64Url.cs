namespace ClerkSessions.Core.Tokens;

/// <summary>
/// Strict base64url (RFC 4648 §5) as JWS and JWK use it: no padding, no whitespace, no '+' or '/', and unused
/// trailing bits must be zero, so every byte string has exactly one accepted spelling.
/// </summary>
internal static class Base64Url
{
    private static readonly sbyte[] Values = BuildValues();

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if (text is null || text.Length % 4 == 1)
        {
            return false;
        }

        var result = new byte[text.Length * 3 / 4];
        int buffer = 0, bits = 0, written = 0;
        foreach (var character in text)
        {
            var value = character < 128 ? Values[character] : -1;
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                result[written++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        if (buffer != 0)
        {
            return false;
        }

        bytes = result;
        return true;
    }

    private static sbyte[] BuildValues()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var values = Enumerable.Repeat((sbyte)-1, 128).ToArray();
        for (var index = 0; index < alphabet.Length; index++)
        {
            values[alphabet[index]] = (sbyte)index;
        }

        return values;
    }
}
