using System.Reflection;
using System.Management.Automation;

namespace ClerkSessions.Tests.Module;

/// <summary>
/// Cmdlet metadata read from the attributes' metadata (CustomAttributeData), not from attribute instances:
/// PowerShellStandard's engine types are stubs whose properties are all empty at run time.
/// </summary>
internal sealed record CmdletMetadata(
    Type Type,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    ConfirmImpact ConfirmImpact,
    bool SupportsPaging,
    string? DefaultParameterSetName,
    IReadOnlyList<Type> OutputTypes,
    IReadOnlyList<ParameterMetadata> Parameters)
{
    public const string AllSets = "__AllParameterSets";

    public string Name => Verb + "-" + Noun;

    public ParameterMetadata Parameter(string name) => Parameters.Single(parameter => parameter.Name == name);

    public static IReadOnlyList<CmdletMetadata> All { get; } = typeof(ClerkSessions.Cmdlets.ClerkCmdlet).Assembly.GetTypes()
        .Where(type => type.GetCustomAttributesData().Any(data => data.AttributeType == typeof(CmdletAttribute)))
        .Select(Read)
        .OrderBy(cmdlet => cmdlet.Name, StringComparer.Ordinal)
        .ToList();

    public static CmdletMetadata Of(string name) => All.Single(cmdlet => cmdlet.Name == name);

    private static CmdletMetadata Read(Type type)
    {
        var cmdlet = type.GetCustomAttributesData().Single(data => data.AttributeType == typeof(CmdletAttribute));
        var outputTypes = type.GetCustomAttributesData()
            .Where(data => data.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(data => data.ConstructorArguments)
            .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(item => item.Value) : new[] { argument.Value })
            .OfType<Type>()
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ParameterMetadata.Read)
            .OfType<ParameterMetadata>()
            .ToList();
        return new CmdletMetadata(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named(cmdlet, "SupportsShouldProcess", false),
            Named(cmdlet, "ConfirmImpact", ConfirmImpact.Medium),
            Named(cmdlet, "SupportsPaging", false),
            Named<string?>(cmdlet, "DefaultParameterSetName", null),
            outputTypes,
            parameters);
    }

    internal static T Named<T>(CustomAttributeData data, string name, T fallback)
    {
        var argument = data.NamedArguments.Where(named => named.MemberName == name).Select(named => (CustomAttributeNamedArgument?)named).SingleOrDefault();
        if (argument is null)
        {
            return fallback;
        }

        var value = argument.Value.TypedValue.Value;
        return typeof(T).IsEnum || Nullable.GetUnderlyingType(typeof(T))?.IsEnum == true ? (T)Enum.ToObject(typeof(T).IsEnum ? typeof(T) : Nullable.GetUnderlyingType(typeof(T))!, value!) : (T)value!;
    }
}

internal sealed record ParameterMetadata(
    string Name,
    Type Type,
    IReadOnlyList<ParameterSetMetadata> Sets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string>? ValidateSet,
    (object Min, object Max)? ValidateRange)
{
    public ParameterSetMetadata In(string set) => Sets.Single(candidate => candidate.Name == set);

    public IEnumerable<string> NamesForBinding => new[] { Name }.Concat(Aliases);

    public static ParameterMetadata? Read(PropertyInfo property)
    {
        var data = property.GetCustomAttributesData();
        var sets = data.Where(attribute => attribute.AttributeType == typeof(ParameterAttribute))
            .Select(attribute => new ParameterSetMetadata(
                CmdletMetadata.Named(attribute, "ParameterSetName", CmdletMetadata.AllSets),
                CmdletMetadata.Named(attribute, "Mandatory", false),
                CmdletMetadata.Named(attribute, "Position", int.MinValue),
                CmdletMetadata.Named(attribute, "ValueFromPipeline", false),
                CmdletMetadata.Named(attribute, "ValueFromPipelineByPropertyName", false)))
            .ToList();
        if (sets.Count == 0)
        {
            return null;
        }

        var aliases = data.Where(attribute => attribute.AttributeType == typeof(AliasAttribute))
            .SelectMany(attribute => Strings(attribute.ConstructorArguments[0]))
            .ToList();
        var validateSet = data.Where(attribute => attribute.AttributeType == typeof(ValidateSetAttribute))
            .Select(attribute => (IReadOnlyList<string>)Strings(attribute.ConstructorArguments[0]).ToList())
            .SingleOrDefault();
        var range = data.Where(attribute => attribute.AttributeType == typeof(ValidateRangeAttribute))
            .Select(attribute => ((object Min, object Max)?)(attribute.ConstructorArguments[0].Value!, attribute.ConstructorArguments[1].Value!))
            .SingleOrDefault();
        return new ParameterMetadata(property.Name, property.PropertyType, sets, aliases, validateSet, range);
    }

    private static IEnumerable<string> Strings(CustomAttributeTypedArgument argument) =>
        argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(item => (string)item.Value!) : new[] { (string)argument.Value! };
}

internal sealed record ParameterSetMetadata(string Name, bool Mandatory, int Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);
