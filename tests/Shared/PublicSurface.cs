using System.Reflection;
using System.Runtime.CompilerServices;

namespace McpFleet.Tests;

/// <summary>
/// Lists the public surface of an assembly (types and their public and protected members), one per line and sorted,
/// so a golden file turns every API change into a reviewed diff.
/// </summary>
public static class PublicSurface
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> s_aliases = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
    };

    /// <summary>Describes the public surface of <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>One line per type, followed by one indented line per member; both sorted ordinally.</returns>
    public static string Describe(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(TypeLine(type));
            lines.AddRange(type.GetMembers(Declared)
                .Where(IsVisible)
                .Select(m => Member(type, m, nullability))
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .Select(m => "  " + m));
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string TypeLine(Type type)
    {
        string kind;
        if (type.IsEnum)
        {
            kind = "enum";
        }
        else if (type.IsInterface)
        {
            kind = "interface";
        }
        else if (type.IsSubclassOf(typeof(Delegate)))
        {
            kind = "delegate";
        }
        else
        {
            var record = type.GetMethod("<Clone>$") is not null || (type.IsValueType && type.GetMethod("PrintMembers", Declared) is not null);
            kind = (type.IsValueType ? "struct" : "class") switch
            {
                var k when record => k == "struct" ? "record struct" : "record",
                var k => k,
            };
            kind = type switch
            {
                { IsAbstract: true, IsSealed: true } => "static " + kind,
                { IsAbstract: true } => "abstract " + kind,
                { IsSealed: true, IsValueType: false } => "sealed " + kind,
                _ => kind,
            };
        }

        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && b != typeof(MulticastDelegate))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces()
            .Where(i => i.IsPublic || i.IsNestedPublic)
            .Where(i => type.BaseType is null || !i.IsAssignableFrom(type.BaseType))
            .Select(Name)
            .Where(n => !n.StartsWith("System.IEquatable<", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static bool IsVisible(MemberInfo member)
    {
        // Members the compiler writes for records and properties are implied by the lines that are listed.
        if (member.Name.Contains('<', StringComparison.Ordinal) || member.IsDefined(typeof(CompilerGeneratedAttribute)))
        {
            return false;
        }

        return member switch
        {
            MethodBase m => !m.IsSpecialName || m is ConstructorInfo || m.Name.StartsWith("op_", StringComparison.Ordinal)
                ? Visible(m) : false,
            FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
            PropertyInfo p => p.GetAccessors(nonPublic: true).Any(Visible),
            EventInfo e => e.AddMethod is { } add && Visible(add),
            _ => false,
        };
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string? Member(Type type, MemberInfo member, NullabilityInfoContext nullability)
    {
        switch (member)
        {
            case ConstructorInfo c when !c.IsStatic:
                return $"{Access(c)}ctor({Parameters(c, nullability)})";
            case MethodInfo m:
                var generic = m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";
                return $"{Access(m)}{Modifiers(m)}{Name(m.ReturnType, nullability.Create(m.ReturnParameter))} {m.Name}{generic}({Parameters(m, nullability)})";
            case PropertyInfo p:
                var accessors = string.Join(" ", new[] { p.GetMethod, p.SetMethod }
                    .Where(a => a is not null && Visible(a))
                    .Select(a => a == p.GetMethod ? "get;" : IsInit(a!) ? "init;" : "set;"));
                var indexer = p.GetIndexParameters() is { Length: > 0 } ip ? "[" + string.Join(", ", ip.Select(x => Name(x.ParameterType) + " " + x.Name)) + "]" : "";
                var any = p.GetAccessors(nonPublic: true).First(Visible);
                return $"{Access(any)}{Modifiers(any)}{Name(p.PropertyType, nullability.Create(p))} {(indexer.Length > 0 ? "this" + indexer : p.Name)} {{ {accessors} }}";
            case FieldInfo f when type.IsEnum:
                return f.IsStatic ? $"{f.Name} = {Convert.ChangeType(f.GetRawConstantValue(), Enum.GetUnderlyingType(type), System.Globalization.CultureInfo.InvariantCulture)}" : null;
            case FieldInfo f:
                var prefix = f.IsLiteral ? "const " : (f.IsStatic ? "static " : "") + (f.IsInitOnly ? "readonly " : "");
                var value = f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "";
                return $"{(f.IsPublic ? "" : "protected ")}{prefix}{Name(f.FieldType, nullability.Create(f))} {f.Name}{value}";
            case EventInfo e:
                return $"{Access(e.AddMethod!)}{Modifiers(e.AddMethod!)}event {Name(e.EventHandlerType!, nullability.Create(e))} {e.Name}";
            default:
                return null;
        }
    }

    private static string Access(MethodBase method) => method.IsPublic ? "" : "protected ";

    private static string Modifiers(MethodInfo method) => method switch
    {
        { IsStatic: true } => "static ",
        { IsAbstract: true } when !method.DeclaringType!.IsInterface => "abstract ",
        { IsVirtual: true } when method.GetBaseDefinition() != method => method.IsFinal ? "sealed override " : "override ",
        { IsVirtual: true, IsFinal: false } when !method.DeclaringType!.IsInterface => "virtual ",
        _ => "",
    };

    private static bool IsInit(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) => string.Join(", ", method.GetParameters().Select(p =>
    {
        var modifier = p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "";
        var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        var text = $"{modifier}{Name(type, p.ParameterType.IsByRef ? null : nullability.Create(p))} {p.Name}";
        var value = p.RawDefaultValue is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : Literal(p.RawDefaultValue);
        var extension = p.Position == 0 && method.IsDefined(typeof(ExtensionAttribute)) ? "this " : "";
        return extension + (p.HasDefaultValue ? $"{text} = {value}" : text);
    }));

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Name(Type type) => Name(type, null);

    private static string Name(Type type, NullabilityInfo? info)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, null) + "?";
        }

        var suffix = info is { ReadState: NullabilityState.Nullable } && !type.IsValueType ? "?" : "";
        if (type.IsArray)
        {
            return Name(type.GetElementType()!, info?.ElementType) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + suffix;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        if (s_aliases.TryGetValue(type, out var alias))
        {
            return alias + suffix;
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        if (!type.IsGenericType)
        {
            return name + suffix;
        }

        var arguments = type.GetGenericArguments();
        var own = type.IsNested ? arguments.Skip(type.DeclaringType!.GetGenericArguments().Length).ToArray() : arguments;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        if (own.Length == 0)
        {
            return name + suffix;
        }

        var infos = info?.GenericTypeArguments;
        var offset = arguments.Length - own.Length;
        var parts = own.Select((a, i) => Name(a, infos is { } g && g.Length == arguments.Length ? g[offset + i] : null));
        return $"{name}<{string.Join(", ", parts)}>{suffix}";
    }
}
