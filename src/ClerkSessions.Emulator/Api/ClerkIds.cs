using System.Security.Cryptography;
using System.Text;

namespace ClerkSessions.Emulator.Api;

/// <summary>Ids in Clerk's shape (<c>user_2…</c>: a prefix, then 27 base62 characters), derived from a seed so a seeded instance is the same every time.</summary>
internal static class ClerkIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Derive(string prefix, int seed, string kind, int index)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes($"{seed}/{kind}/{index}"));
        var id = new StringBuilder(prefix).Append('_').Append('2');
        for (var position = 0; position < 26; position++)
        {
            id.Append(Alphabet[hash[position] % Alphabet.Length]);
        }

        return id.ToString();
    }

    public static string Random(string prefix)
    {
        var bytes = new byte[26];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        var id = new StringBuilder(prefix).Append('_').Append('2');
        foreach (var value in bytes)
        {
            id.Append(Alphabet[value % Alphabet.Length]);
        }

        return id.ToString();
    }
}
