using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace ClerkSessions.Tests.Core;

/// <summary>
/// Which of an assembly's own types each of its types uses, read from the compiled metadata: base types, interfaces,
/// generic constraints, the signatures of fields, methods, properties and events, custom attributes, explicit
/// overrides, and the method bodies (locals, catch clauses and every type, method and field token in the IL).
/// Compiler-made types (closures, state machines) count as the type they are nested in. Read from the file rather than
/// by reflection, so a reference inside a method body or a lambda cannot hide.
/// </summary>
internal sealed class TypeReferences
{
    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => (ushort)code.Value, code => code.OperandType);

    private readonly MetadataReader _metadata;
    private readonly PEReader _pe;
    private readonly OwnTypes _provider;
    private List<string>? _names;

    private TypeReferences(PEReader pe)
    {
        _pe = pe;
        _metadata = pe.GetMetadataReader();
        _provider = new OwnTypes(this);
    }

    /// <summary>For each type (by full name, nested types under their outermost type), the full names of the assembly's own types it uses.</summary>
    public static Dictionary<string, SortedSet<string>> Of(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var references = new TypeReferences(pe);
        var uses = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var handle in references._metadata.TypeDefinitions)
        {
            var name = references.NameOf(handle);
            if (!uses.TryGetValue(name, out var used))
            {
                uses[name] = used = new SortedSet<string>(StringComparer.Ordinal);
            }

            used.UnionWith(references.UsedBy(handle).Where(other => other != name));
        }

        return uses;
    }

    /// <summary>The namespace of a full name from <see cref="Of"/>.</summary>
    public static string NamespaceOf(string fullName) => fullName.LastIndexOf('.') is var dot and > 0 ? fullName.Substring(0, dot) : "";

    private IEnumerable<string> UsedBy(TypeDefinitionHandle handle)
    {
        var type = _metadata.GetTypeDefinition(handle);
        var found = new List<string>();
        found.AddRange(Entity(type.BaseType));
        found.AddRange(type.GetInterfaceImplementations().SelectMany(implementation => Entity(_metadata.GetInterfaceImplementation(implementation).Interface)));
        found.AddRange(Constraints(type.GetGenericParameters()));
        found.AddRange(Attributes(type.GetCustomAttributes()));
        foreach (var implementation in type.GetMethodImplementations().Select(_metadata.GetMethodImplementation))
        {
            found.AddRange(Entity(implementation.MethodBody));
            found.AddRange(Entity(implementation.MethodDeclaration));
        }

        foreach (var field in type.GetFields().Select(_metadata.GetFieldDefinition))
        {
            found.AddRange(field.DecodeSignature(_provider, null));
            found.AddRange(Attributes(field.GetCustomAttributes()));
        }

        foreach (var property in type.GetProperties().Select(_metadata.GetPropertyDefinition))
        {
            var signature = property.DecodeSignature(_provider, null);
            found.AddRange(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter)));
            found.AddRange(Attributes(property.GetCustomAttributes()));
        }

        foreach (var @event in type.GetEvents().Select(_metadata.GetEventDefinition))
        {
            found.AddRange(Entity(@event.Type));
            found.AddRange(Attributes(@event.GetCustomAttributes()));
        }

        foreach (var method in type.GetMethods().Select(_metadata.GetMethodDefinition))
        {
            var signature = method.DecodeSignature(_provider, null);
            found.AddRange(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter)));
            found.AddRange(Constraints(method.GetGenericParameters()));
            found.AddRange(Attributes(method.GetCustomAttributes()));
            found.AddRange(method.GetParameters().SelectMany(parameter => Attributes(_metadata.GetParameter(parameter).GetCustomAttributes())));
            if (method.RelativeVirtualAddress != 0)
            {
                found.AddRange(Body(_pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
        }

        return found;
    }

    private IEnumerable<string> Body(MethodBodyBlock body)
    {
        var found = new List<string>();
        if (!body.LocalSignature.IsNil)
        {
            found.AddRange(_metadata.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_provider, null).SelectMany(local => local));
        }

        found.AddRange(body.ExceptionRegions.SelectMany(region => Entity(region.CatchType)));
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }

            switch (OperandTypes[code])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    found.AddRange(Entity(MetadataTokens.EntityHandle(il.ReadInt32())));
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineSig or OperandType.InlineString:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }

        return found;
    }

    /// <summary>The own types an entity in a signature, a token or a table row names.</summary>
    private IEnumerable<string> Entity(EntityHandle handle)
    {
        if (handle.IsNil)
        {
            return [];
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [NameOf((TypeDefinitionHandle)handle)];
            case HandleKind.TypeSpecification:
                return _metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_provider, null);
            case HandleKind.MethodDefinition:
                var method = _metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                return [NameOf(method.GetDeclaringType())];
            case HandleKind.FieldDefinition:
                return [NameOf(_metadata.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())];
            case HandleKind.MemberReference:
                var member = _metadata.GetMemberReference((MemberReferenceHandle)handle);
                var parent = Entity(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    return parent.Concat(member.DecodeFieldSignature(_provider, null));
                }

                var signature = member.DecodeMethodSignature(_provider, null);
                return parent.Concat(signature.ReturnType).Concat(signature.ParameterTypes.SelectMany(parameter => parameter));
            case HandleKind.MethodSpecification:
                var specification = _metadata.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Entity(specification.Method).Concat(specification.DecodeSignature(_provider, null).SelectMany(argument => argument));
            default:
                // Type references name other assemblies' types.
                return [];
        }
    }

    private IEnumerable<string> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(parameter => _metadata.GetGenericParameter(parameter).GetConstraints())
            .SelectMany(constraint => Entity(_metadata.GetGenericParameterConstraint(constraint).Type));

    /// <summary>The attribute's type, and any own type named in its arguments (a <c>typeof</c> there is stored as its name).</summary>
    private IEnumerable<string> Attributes(CustomAttributeHandleCollection attributes)
    {
        var names = _names ??= _metadata.TypeDefinitions.Select(NameOf).Where(name => name.Contains('.')).Distinct().ToList();
        foreach (var attribute in attributes.Select(_metadata.GetCustomAttribute))
        {
            foreach (var name in Entity(attribute.Constructor))
            {
                yield return name;
            }

            var value = Encoding.UTF8.GetString(_metadata.GetBlobBytes(attribute.Value));
            foreach (var name in names.Where(name => value.Contains(name, StringComparison.Ordinal)))
            {
                yield return name;
            }
        }
    }

    private string NameOf(TypeDefinitionHandle handle)
    {
        var type = _metadata.GetTypeDefinition(handle);
        while (type.IsNested)
        {
            type = _metadata.GetTypeDefinition(type.GetDeclaringType());
        }

        var ns = _metadata.GetString(type.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + _metadata.GetString(type.Name);
    }

    /// <summary>Decodes signatures into the own types they name; other assemblies' types and generic parameters name none.</summary>
    private sealed class OwnTypes(TypeReferences references) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [references.NameOf(handle)];

        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];

        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(argument => argument));

        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];

        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];

        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
            signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(parameter => parameter));

        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) =>
            unmodifiedType.AddRange(modifier);
    }
}
