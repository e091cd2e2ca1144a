using System.Management.Automation;

namespace ClerkSessions.Operations;

/// <summary>Reads PowerShell preference variables as scripts actually leave them.</summary>
public static class Preference
{
    /// <summary>
    /// True when a preference variable's value asks for output. Outside the global scope,
    /// <c>$VerbosePreference = 'Continue'</c> creates a plain string variable, not an ActionPreference, so both
    /// forms (and numbers) must be understood.
    /// </summary>
    public static bool AsksForOutput(object? value)
    {
        ActionPreference? preference = value switch
        {
            ActionPreference typed => typed,
            string text when Enum.TryParse<ActionPreference>(text.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(ActionPreference), parsed) => parsed,
            int number when Enum.IsDefined(typeof(ActionPreference), number) => (ActionPreference)number,
            _ => null,
        };
        return preference is ActionPreference wanted && wanted != ActionPreference.SilentlyContinue && wanted != ActionPreference.Ignore;
    }
}
