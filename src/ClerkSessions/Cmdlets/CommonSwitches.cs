using System.Management.Automation;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// What the engine decides from -Verbose, -Debug, -WhatIf, -Confirm and their preference variables but does not tell
/// a cmdlet, read the engine's way: the bound switch, else the caller's preference variable as
/// <see cref="LanguagePrimitives"/> converts it (outside the global scope <c>$VerbosePreference = 'Continue'</c> is a
/// plain string). The only place the module reads them; everything else is left to the engine.
/// </summary>
internal sealed class CommonSwitches
{
    public CommonSwitches(PSCmdlet cmdlet)
    {
        bool? Bound(string parameter) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var value)
                ? IsTrue(value is SwitchParameter switchParameter ? switchParameter.IsPresent : value)
                : null;

        var debugSwitch = Bound("Debug");
        var verboseSwitch = Bound("Verbose");
        Debug = debugSwitch ?? AsksForOutput(cmdlet.GetVariableValue("DebugPreference"));

        // Under the -Debug switch without -Verbose, PowerShell 6.2 and later ask before every verbose line a compiled
        // cmdlet writes (Inquire), whatever $VerbosePreference says: a question per request in a bulk revoke. Those
        // lines go to the debug stream instead.
        VerboseAsDebug = debugSwitch == true && verboseSwitch is null;
        Verbose = VerboseAsDebug || (verboseSwitch ?? AsksForOutput(cmdlet.GetVariableValue("VerbosePreference")));

        var whatIf = Bound("WhatIf") ?? IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
        ForceAnswers = !whatIf && Bound("Confirm") != true;
    }

    /// <summary>Whether verbose lines are wanted (on either stream): worth building the request log lines for.</summary>
    public bool Verbose { get; }

    public bool Debug { get; }

    /// <summary>Verbose lines are written as debug lines, so that the engine does not ask before each one.</summary>
    public bool VerboseAsDebug { get; }

    /// <summary>
    /// Whether -Force may answer ShouldProcess's question: not under -WhatIf or $WhatIfPreference (nothing is done
    /// then), nor with an explicit -Confirm (it asks even with -Force). The engine's ShouldProcess cannot carry this
    /// for a ConfirmImpact.High cmdlet: under the default $ConfirmPreference it asks before the cmdlet can say
    /// anything (ShouldContinue behind -Force only comes after that question), and it tells whether -WhatIf is in
    /// force only by being called.
    /// </summary>
    public bool ForceAnswers { get; }

    /// <summary>True when a preference variable's value asks for output (Continue, Inquire, Stop, Break).</summary>
    internal static bool AsksForOutput(object? preference) =>
        LanguagePrimitives.TryConvertTo(preference, out ActionPreference wanted) && wanted != ActionPreference.SilentlyContinue && wanted != ActionPreference.Ignore;

    private static bool IsTrue(object? value) => LanguagePrimitives.TryConvertTo(value, out bool on) && on;
}
