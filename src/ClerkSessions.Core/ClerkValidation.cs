using ClerkSessions.Core.Http;

namespace ClerkSessions.Core;

/// <summary>Checks made before anything is sent: a bad argument never costs a request or a rate-limit slot.</summary>
internal static class ClerkValidation
{
    public static string Identifier(string? value, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ClerkInvalidArgumentException($"The {ClerkPath.Describe(parameterName)} must not be empty or white space.", parameterName);
        }

        var text = value!;
        if (text.Any(char.IsControl))
        {
            throw new ClerkInvalidArgumentException($"The {ClerkPath.Describe(parameterName)} contains a control character.", parameterName);
        }

        if (text.Length > 256)
        {
            throw new ClerkInvalidArgumentException($"The {ClerkPath.Describe(parameterName)} is {text.Length} characters long; Clerk ids are far shorter.", parameterName);
        }

        return text;
    }

    public static string? OptionalIdentifier(string? value, string parameterName) =>
        value is null ? null : Identifier(value, parameterName);

    public static string RequiredText(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ClerkInvalidArgumentException($"{parameterName} is required.", parameterName);
        }

        return value!;
    }

    public static int Range(int value, int min, int max, string parameterName, string what) =>
        (int)Range((long)value, min, max, parameterName, what);

    public static long Range(long value, long min, long max, string parameterName, string what)
    {
        if (value < min || value > max)
        {
            throw new ClerkInvalidArgumentException($"{what} must be between {min} and {max}; it was {value}.", parameterName);
        }

        return value;
    }
}
