using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using McpFleet.Yaml;
using YamlDotNet.RepresentationModel;

namespace McpFleet.Rendering;

/// <summary>
/// Deterministic YAML for Kubernetes objects: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c> first, then the other
/// fields in model order; nulls left out; <c>\n</c> line ends; strings quoted only where YAML would read them as
/// something else (<c>"true"</c>, <c>"9464"</c>); multi-line strings as literal blocks.
/// </summary>
/// <remarks>
/// Objects go through source-generated System.Text.Json (the models' own JSON names and converters), and a small
/// emitter writes the JSON tree as block YAML. That is several times faster to start than a reflection-based YAML
/// serializer, which matters because <c>mcpfleet render</c> is a short-lived process.
/// </remarks>
public static class ManifestYaml
{
    // The kinds LoadAll reads back: what the renderer writes, plus the Pod that `up --containers` hands to Podman.
    private static readonly Dictionary<string, Type> s_types = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Service"] = typeof(V1Service),
        ["v1/Pod"] = typeof(V1Pod),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = typeof(V2HorizontalPodAutoscaler),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["external-secrets.io/v1/ExternalSecret"] = typeof(ExternalSecret),
        ["external-secrets.io/v1beta1/ExternalSecret"] = typeof(ExternalSecret),
        [$"{Kustomization.DefaultApiVersion}/{Kustomization.KindName}"] = typeof(Kustomization),
    };

    /// <summary>Serializes one object as one YAML document, without a separator.</summary>
    /// <param name="value">A Kubernetes object (a <c>k8s.Models</c> type, <see cref="ExternalSecret"/> or <see cref="Kustomization"/>).</param>
    /// <returns>The YAML text, ending with a newline.</returns>
    public static string Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var writer = new ManifestWriter(4096);
        writer.Write(value, separator: false);
        return writer.ToString();
    }

    /// <summary>Serializes objects as a multi-document stream: each document starts with <c>---</c>.</summary>
    /// <param name="values">The objects, in order.</param>
    /// <returns>The YAML text.</returns>
    public static string SerializeAll(IEnumerable<object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var writer = new ManifestWriter(16384);
        foreach (var value in values)
        {
            writer.Write(value, separator: true);
        }

        return writer.ToString();
    }

    /// <summary>
    /// Parses a multi-document YAML stream into typed objects: the kinds McpFleet renders (KubernetesClient's models
    /// plus McpFleet's) and <c>v1/Pod</c>.
    /// </summary>
    /// <remarks>
    /// Through <see cref="LoadAllAsJson"/> and the source-generated JSON metadata, not a reflection-based YAML
    /// deserializer, so it works under Native AOT.
    /// </remarks>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>One object per document.</returns>
    /// <exception cref="NotSupportedException">A document's <c>apiVersion</c>/<c>kind</c> is not one of those kinds.</exception>
    public static IReadOnlyList<object> LoadAll(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return [.. LoadAllAsJson(yaml).Select(node =>
        {
            var key = $"{node["apiVersion"]?.GetValue<string>()}/{node["kind"]?.GetValue<string>()}";
            return s_types.TryGetValue(key, out var type)
                ? node.Deserialize(ManifestJson.TypeInfo(type)) ?? throw new NotSupportedException($"a {key} document is empty")
                : throw new NotSupportedException($"{key} is not a kind McpFleet reads");
        })];
    }

    /// <summary>
    /// Parses a multi-document YAML stream into JSON trees, resolving plain scalars by the YAML 1.2 core schema
    /// (so <c>"9464"</c> stays a string and <c>9464</c> becomes a number). Any YAML works, not only known kinds:
    /// use it to schema-check text such as <c>helm template</c> output.
    /// </summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>One node per non-empty document.</returns>
    public static IReadOnlyList<JsonNode> LoadAllAsJson(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Tag.IsEmpty: true, Value: null or "" })
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonNode>()
            .ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    // Plain scalars are typed by the readers' rule (YamlScalars, YAML 1.2 core schema); JSON has no infinity or NaN,
    // so .inf and .nan stay text, and an integer too large for a long is a double.
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (YamlScalars.IsCoreNull(value))
        {
            return null;
        }

        if (YamlScalars.IsCoreBool(value))
        {
            return JsonValue.Create(value[0] is 't' or 'T');
        }

        if (YamlScalars.IsCoreInteger(value) && Integer(value) is { } integer)
        {
            return JsonValue.Create(integer);
        }

        return YamlScalars.IsCoreNumber(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    private static long? Integer(string value)
    {
        var negative = value.StartsWith('-');
        var digits = value.TrimStart('-', '+');
        var (text, style, radix) = digits.StartsWith("0x", StringComparison.Ordinal) ? (digits[2..], NumberStyles.AllowHexSpecifier, 16)
            : digits.StartsWith("0o", StringComparison.Ordinal) ? (digits[2..], NumberStyles.None, 8)
            : (digits, NumberStyles.None, 10);
        if (radix == 8)
        {
            try
            {
                var octal = Convert.ToInt64(text, 8);
                return negative ? -octal : octal;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return long.TryParse(text, style, CultureInfo.InvariantCulture, out var parsed) && (radix == 10 || parsed >= 0)
            ? (negative ? -parsed : parsed)
            : null;
    }
}

/// <summary>JSON for the objects that <see cref="ManifestYaml"/> writes, through the same source-generated metadata.</summary>
public static class ManifestJson
{
    /// <summary>Serializes a Kubernetes object to UTF-8 JSON, leaving nulls out.</summary>
    /// <param name="value">The object.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo(value.GetType()));
    }

    /// <summary>Serializes a Kubernetes object to a JSON tree, e.g. for schema validation.</summary>
    /// <param name="value">The object.</param>
    /// <returns>The JSON node.</returns>
    public static JsonNode SerializeToNode(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToNode(value, TypeInfo(value.GetType()))
            ?? throw new InvalidOperationException("serialized to null");
    }

    internal static JsonTypeInfo TypeInfo(Type type) =>
        ManifestJsonContext.Default.GetTypeInfo(type)
        ?? throw new NotSupportedException($"{type} is not a Kubernetes model that McpFleet can serialize.");
}
