using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClerkSessions.Emulator;

namespace ClerkSessions.Cmdlets;

/// <summary>Accepts and tab-completes the operations the emulator serves (<see cref="ClerkEmulator.Operations"/>), whatever the case.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmulatorOperationAttribute : ArgumentCompleterAttribute
{
    public EmulatorOperationAttribute()
        : base(typeof(Completer))
    {
    }

    /// <summary>The canonical spelling of <paramref name="operation"/>, or an error naming the valid ones.</summary>
    public static string Canonical(string operation) =>
        ClerkEmulator.Operations.FirstOrDefault(known => string.Equals(known, operation, StringComparison.OrdinalIgnoreCase))
        ?? throw new ValidationMetadataException($"'{operation}' is not an operation of the emulator: use one of {string.Join(", ", ClerkEmulator.Operations)}.");

    private sealed class Completer : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ClerkEmulator.Operations
                .Where(operation => operation.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
                .Select(operation => new CompletionResult(operation));
    }
}

/// <summary>Validates each value against <see cref="ClerkEmulator.Operations"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValidateEmulatorOperationAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element) => EmulatorOperationAttribute.Canonical(element?.ToString() ?? string.Empty);
}
