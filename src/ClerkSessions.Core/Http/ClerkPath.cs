namespace ClerkSessions.Core.Http;

/// <summary>Builds request paths from ids the caller gave us, and rejects ids before anything is sent.</summary>
internal static class ClerkPath
{
    /// <summary>One path segment from a caller's value: validated, then escaped so it stays one segment.</summary>
    public static string Segment(string? value, string parameterName)
    {
        var checkedValue = ClerkValidation.Identifier(value, parameterName);

        // "." and ".." are not ids, and URI normalisation would resolve them against the path.
        if (checkedValue is "." or "..")
        {
            throw new ClerkInvalidArgumentException($"'{checkedValue}' is not a valid {Describe(parameterName)}.", parameterName);
        }

        return Uri.EscapeDataString(checkedValue);
    }

    public static string Describe(string parameterName) => parameterName switch
    {
        "sessionId" => "session id",
        "templateName" => "JWT template name",
        "userId" => "user id",
        "clientId" => "client id",
        "activeOrganizationId" => "organization id",
        _ => parameterName,
    };
}
