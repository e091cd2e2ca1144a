namespace ClerkSessions.Emulator.Tokens;

internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The bytes, or null when <paramref name="text"/> is not base64url.</summary>
    public static byte[]? TryDecode(string text)
    {
        if (text.Length % 4 == 1 || text.Any(character => !(char.IsLetterOrDigit(character) && character < 128) && character != '-' && character != '_'))
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
