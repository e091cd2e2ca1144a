using System.Globalization;
using System.Text.RegularExpressions;

namespace ClerkSessions.Core;

/// <summary>Removes secrets from text that is about to be logged or shown.</summary>
public static class Redaction
{
    public const string Redacted = "[redacted]";
    private const int MinKnownSecretLength = 8;

    private static readonly Regex SecretKey = new(@"\bsk_(?:test|live)_[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant);

    // Three base64url parts, the first of them a JSON object ("eyJ" is base64 for '{"').
    private static readonly Regex Jwt = new(
        @"\beyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*",
        RegexOptions.CultureInvariant);

    // JSON members whose values are secrets even when they are not JWTs (refresh tokens are opaque).
    private static readonly Regex SecretMember = new(
        @"(""(?:refresh_token|expired_token|token|jwt)""\s*:\s*)""(?:[^""\\]|\\.)*""",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// As <see cref="Text(string?)"/>, and first every occurrence of the <paramref name="known"/> secrets: values a call
    /// sent that no pattern recognises (an opaque refresh token), should an answer echo them.
    /// </summary>
    public static string Text(string? text, IEnumerable<string>? known)
    {
        var redacted = text ?? "";
        foreach (var secret in known ?? Enumerable.Empty<string>())
        {
            // Short values would take ordinary words with them; no secret is that short.
            if (secret is { Length: >= MinKnownSecretLength })
            {
                redacted = redacted.Replace(secret, Redacted);
            }
        }

        return Text(redacted);
    }

    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var redacted = SecretMember.Replace(text, "$1\"" + Redacted + "\"");
        redacted = Jwt.Replace(redacted, Redacted);
        return SecretKey.Replace(redacted, Redacted);
    }

    /// <summary>
    /// A value someone else wrote (a claim of a token, an id or a setting a caller gave), quoted for a message: cut
    /// short, and its control and format characters (line breaks, terminal escapes, bidirectional overrides) shown as '?'.
    /// </summary>
    internal static string Quote(string value) => "'" + Displayable(value) + "'";

    /// <summary><see cref="Quote"/> without the quotes.</summary>
    internal static string Displayable(string value)
    {
        const int limit = 80;
        var length = value.Length <= limit ? value.Length : char.IsHighSurrogate(value[limit - 1]) ? limit - 1 : limit;
        var shown = new char[length];
        for (var index = 0; index < length; index++)
        {
            var character = value[index];
            shown[index] = char.IsControl(character) || CharUnicodeInfo.GetUnicodeCategory(character) == UnicodeCategory.Format ? '?' : character;
        }

        return new string(shown) + (length < value.Length ? "..." : "");
    }
}
