using System.Collections.Concurrent;
using System.Collections;
using System.Management.Automation;
using System.Reflection;
using ClerkSessions.Operations;

namespace ClerkSessions.Cmdlets;

/// <summary>
/// Keeps a piped object that names no session from being sent as a session id. The engine turns an object it can
/// bind neither by value nor by property name into text ("System.Collections.Hashtable", or "@{UserId=}" for a CSV row
/// with an empty UserId) and binds that; this refuses such an object at binding instead, per object, before any
/// request. Strings pass, and so does any object the command can bind otherwise: one of its pipeline types, or one
/// with a non-empty property that a parameter of <see cref="Command"/> takes by name (a session's Id, a row's UserId).
/// </summary>
/// <remarks>
/// The engine runs transformations before it tries each way of binding, so this must let through everything a later
/// way would bind: it refuses only what no way but turning it into text could.
/// </remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SessionIdInputAttribute : ArgumentTransformationAttribute
{
    public SessionIdInputAttribute(Type command) => Command = command;

    /// <summary>The cmdlet whose pipeline parameters decide what can be bound.</summary>
    public Type Command { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var items = Unwrap(inputData) is IList list ? list.Cast<object?>() : new[] { inputData };
        foreach (var item in items)
        {
            if (!CanBind(Unwrap(item), name => Unwrap(PSObject.AsPSObject(item!).Properties[name]?.Value)))
            {
                throw new ArgumentTransformationMetadataException(CommandErrors.NoSessionId(item!, Bindings.Of(Command).PropertyNames));
            }
        }

        return inputData;
    }

    /// <summary>
    /// Whether <see cref="Command"/> can bind <paramref name="value"/> other than as its text: null and strings (left to
    /// the parameter's validation), its pipeline types, or an object whose <paramref name="property"/> of a name it
    /// binds by is neither null nor empty.
    /// </summary>
    internal bool CanBind(object? value, Func<string, object?> property)
    {
        var bindings = Bindings.Of(Command);
        return value is null or string
            || bindings.ValueTypes.Any(type => type.IsInstanceOfType(value))
            || bindings.PropertyNames.Any(name => property(name) is not (null or "" or ICollection { Count: 0 }));
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>What one cmdlet binds from the pipeline: the types it takes by value, the names it takes by property name.</summary>
    private sealed class Bindings
    {
        private static readonly ConcurrentDictionary<Type, Bindings> Known = new();

        private Bindings(IReadOnlyList<string> propertyNames, IReadOnlyList<Type> valueTypes)
        {
            PropertyNames = propertyNames;
            ValueTypes = valueTypes;
        }

        public IReadOnlyList<string> PropertyNames { get; }
        public IReadOnlyList<Type> ValueTypes { get; }

        public static Bindings Of(Type command) => Known.GetOrAdd(command, Read);

        /// <remarks>
        /// Read from the attributes' metadata rather than from attribute instances: the same reading then holds against
        /// PowerShell's reference assemblies, whose attribute properties are empty stubs, as in the unit tests.
        /// </remarks>
        private static Bindings Read(Type command)
        {
            var names = new List<string>();
            var types = new List<Type>();
            foreach (var property in command.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                var parameters = attributes.Where(data => data.AttributeType == typeof(ParameterAttribute)).ToList();
                if (parameters.Any(parameter => IsSet(parameter, nameof(ParameterAttribute.ValueFromPipelineByPropertyName))))
                {
                    names.Add(property.Name);
                    names.AddRange(attributes
                        .Where(data => data.AttributeType == typeof(AliasAttribute))
                        .SelectMany(data => data.ConstructorArguments)
                        .SelectMany(argument => argument.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(item => item.Value) : new[] { argument.Value })
                        .OfType<string>());
                }

                var type = property.PropertyType.IsArray ? property.PropertyType.GetElementType()! : property.PropertyType;
                if (parameters.Any(parameter => IsSet(parameter, nameof(ParameterAttribute.ValueFromPipeline))) && type != typeof(string) && type != typeof(object))
                {
                    types.Add(type);
                }
            }

            return new Bindings(names, types);
        }

        private static bool IsSet(CustomAttributeData parameter, string name) =>
            parameter.NamedArguments.Any(argument => argument.MemberName == name && argument.TypedValue.Value is true);
    }
}
