using McpFleet.Spec.Yaml;
using McpFleet.Yaml;

namespace McpFleet.Spec.Validation;

/// <summary>Parsers for the parts that <c>fleet.yaml</c>'s defaults and a values file share: resources and autoscaling.</summary>
internal static class CommonParsers
{
    private static readonly string[] s_resourceKeys = ["requests", "limits"];
    private static readonly string[] s_quantityKeys = ["cpu", "memory"];
    private static readonly string[] s_autoscalingKeys = ["minReplicas", "maxReplicas", "cpu", "memory"];

    /// <summary>Reads <c>resources {requests, limits} {cpu, memory}</c>, checking that each is a positive quantity.</summary>
    public static ResourcesSpec? Resources(SpecReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, s_resourceKeys);
        if (map is null)
        {
            return null;
        }

        return new ResourcesSpec(Quantities(reader, map, "requests"), Quantities(reader, map, "limits"));
    }

    private static ResourceQuantities? Quantities(SpecReader reader, MappingReader parent, string key)
    {
        var map = reader.Mapping(parent.Get(key), parent.ChildPath(key), s_quantityKeys);
        return map is null ? null : new ResourceQuantities(Quantity(reader, map, "cpu"), Quantity(reader, map, "memory"));
    }

    private static string? Quantity(SpecReader reader, MappingReader map, string key)
    {
        var node = map.Get(key);
        var text = reader.String(node, map.ChildPath(key));
        if (text is null || node is null)
        {
            return null;
        }

        if (!Spec.Quantity.TryParse(text, out var value))
        {
            var suggestion = Spec.Quantity.Suggest(text);
            var example = key == "cpu" ? "500m, 1 or 1.5" : "512Mi or 2Gi";
            reader.Error(SpecCodes.InvalidQuantity, node,
                $"'{map.ChildPath(key)}' is not a Kubernetes quantity: '{text}'" +
                (suggestion is not null ? $"; did you mean '{suggestion}'?" : $"; write e.g. {example}"));
            return null;
        }

        if (value <= 0)
        {
            reader.Error(SpecCodes.InvalidQuantity, node, $"'{map.ChildPath(key)}' must be greater than zero: '{text}'");
            return null;
        }

        return text;
    }

    /// <summary>
    /// Reads an autoscaling mapping (or <c>false</c>). Keys left out take the <paramref name="inherited"/> value, so a
    /// server can write only <c>maxReplicas</c>; then checks the bounds and targets.
    /// </summary>
    public static AutoscalingSetting Autoscaling(SpecReader reader, YNode? node, string path, AutoscalingSpec? inherited)
    {
        if (node is null)
        {
            return AutoscalingSetting.Default;
        }

        if (node is YScalar { IsBool: true } flag)
        {
            return flag.Value.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? AutoscalingSetting.Disabled
                : new AutoscalingSetting(AutoscalingMode.Custom, inherited ?? new AutoscalingSpec());
        }

        if (node is YScalar { IsNull: false } or YSeq)
        {
            reader.Error(SpecCodes.WrongType, node, $"'{path}' must be a mapping or false, not {node.Describe()}");
            return AutoscalingSetting.Default;
        }

        var map = reader.Mapping(node, path, s_autoscalingKeys);
        if (map is null)
        {
            return AutoscalingSetting.Default;
        }

        var baseline = inherited ?? new AutoscalingSpec();
        var min = map.Int("minReplicas") ?? baseline.MinReplicas;
        var max = map.Int("maxReplicas") ?? baseline.MaxReplicas;
        var cpu = Target(reader, map, "cpu", baseline.Cpu);
        var memory = Target(reader, map, "memory", baseline.Memory);
        var spec = new AutoscalingSpec(min, max, cpu, memory);

        YNode at = map.Get("minReplicas") ?? map.Node;
        if (min < 1)
        {
            reader.Error(SpecCodes.HpaBoundBelowOne, at, $"'{path}.minReplicas' must be at least 1, not {min}");
        }

        YNode maxAt = map.Get("maxReplicas") ?? map.Node;
        if (max < 1)
        {
            reader.Error(SpecCodes.HpaBoundBelowOne, maxAt, $"'{path}.maxReplicas' must be at least 1, not {max}");
        }
        else if (min > max)
        {
            reader.Error(SpecCodes.HpaMinAboveMax, map.Has("maxReplicas") ? maxAt : at,
                $"'{path}.minReplicas' ({min}) is above '{path}.maxReplicas' ({max})");
        }

        if (cpu is null && memory is null)
        {
            reader.Error(SpecCodes.HpaUtilization, map.Node, $"'{path}' needs at least one target, cpu or memory");
        }

        return new AutoscalingSetting(AutoscalingMode.Custom, spec);
    }

    private static int? Target(SpecReader reader, MappingReader map, string key, int? inherited)
    {
        var node = map.Get(key);
        if (node is null)
        {
            return inherited;
        }

        if (node is YScalar { IsNull: true })
        {
            return null; // "memory: null" turns a metric off.
        }

        var value = reader.Int(node, map.ChildPath(key));
        if (value is < 1 or > 100)
        {
            reader.Error(SpecCodes.HpaUtilization, node, $"'{map.ChildPath(key)}' is a utilization percentage and must be within 1..100, not {value}");
        }

        return value;
    }
}
