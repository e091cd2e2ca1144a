using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Tab-completes the operations the emulator serves (<see cref="ClerkEmulator.Operations"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmulatorOperationAttribute : ArgumentCompleterAttribute
{
    public EmulatorOperationAttribute()
        : base(typeof(Completer))
    {
    }

    private sealed class Completer : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ClerkEmulator.Operations
                .Where(operation => operation.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
                .Select(operation => new CompletionResult(operation));
    }
}

/// <summary>Validates each value against <see cref="ClerkEmulator.Operations"/>, whatever the case.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValidateEmulatorOperationAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        try
        {
            ClerkEmulator.CanonicalOperation(element?.ToString() ?? string.Empty);
        }
        catch (ArgumentException exception)
        {
            throw new ValidationMetadataException(exception.Message, exception);
        }
    }
}
