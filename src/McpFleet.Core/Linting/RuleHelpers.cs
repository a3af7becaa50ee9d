using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>A reference from a pod to a Secret or ConfigMap.</summary>
/// <param name="Name">The referenced object's name.</param>
/// <param name="Node">Where the name is written.</param>
/// <param name="Key">The key, for <c>secretKeyRef</c> / <c>configMapKeyRef</c>.</param>
/// <param name="Optional">Whether the reference is marked <c>optional: true</c>.</param>
internal sealed record ObjectRef(string Name, YNode Node, string? Key, bool Optional);

/// <summary>Checks shared by several rules.</summary>
internal static class RuleHelpers
{
    /// <summary>Every Secret a pod reads: secretKeyRef, envFrom secretRef, secret volumes and projected secrets.</summary>
    public static IEnumerable<ObjectRef> SecretRefs(Workload workload) => Refs(workload, "secretKeyRef", "secretRef", "secret", "secretName");

    /// <summary>Every ConfigMap a pod reads.</summary>
    public static IEnumerable<ObjectRef> ConfigMapRefs(Workload workload) => Refs(workload, "configMapKeyRef", "configMapRef", "configMap", "name");

    private static IEnumerable<ObjectRef> Refs(Workload workload, string keyRef, string envFromRef, string volumeKey, string volumeNameKey)
    {
        foreach (var c in workload.AllContainers)
        {
            foreach (var env in c.Env)
            {
                if (env.Map("valueFrom")?.Map(keyRef) is { } r && Ref(r, "name", r.Str("key")) is { } found)
                {
                    yield return found;
                }
            }

            foreach (var from in c.Node.Maps("envFrom"))
            {
                if (from.Map(envFromRef) is { } r && Ref(r, "name", null) is { } found)
                {
                    yield return found;
                }
            }
        }

        foreach (var volume in workload.PodSpec.Maps("volumes"))
        {
            if (volume.Map(volumeKey) is { } v && Ref(v, volumeNameKey, null) is { } found)
            {
                yield return found;
            }

            foreach (var source in volume.Map("projected")?.Maps("sources") ?? [])
            {
                if (source.Map(volumeKey) is { } p && Ref(p, "name", null) is { } projected)
                {
                    yield return projected;
                }
            }
        }
    }

    private static ObjectRef? Ref(YMap map, string nameKey, string? key) =>
        map[nameKey] is YScalar { Value.Length: > 0 } name ? new ObjectRef(name.Value, name, key, map.Bool("optional") == true) : null;

    /// <summary>The httpGet/tcpSocket/grpc handler of a probe or lifecycle hook, and its port node.</summary>
    public static YScalar? ProbePort(YMap probe) =>
        (probe.Map("httpGet") ?? probe.Map("tcpSocket") ?? probe.Map("grpc"))?["port"] as YScalar;

    /// <summary>A canonical text of a node, to compare two probes.</summary>
    public static string Canonical(YNode? node) => node switch
    {
        YScalar s => s.Value,
        YSeq q => "[" + string.Join(",", q.Items.Select(Canonical)) + "]",
        YMap m => "{" + string.Join(",", m.Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal).Select(e => e.Key.Value + ":" + Canonical(e.Value))) + "}",
        _ => "",
    };

    /// <summary>The pod-level and container-level value of a securityContext field.</summary>
    public static (YNode? Pod, YNode? Container) SecurityField(Workload workload, ContainerView container, string key) =>
        (workload.PodSpec.Map("securityContext")?[key], container.SecurityContext?[key]);

    /// <summary>Long-running workloads (not Jobs): the ones probes, replicas and network isolation are about.</summary>
    public static bool IsLongRunning(Workload workload) => workload.Object.Kind is not ("Job" or "CronJob");

    /// <summary>The main containers that serve traffic: those that declare ports, else the first one.</summary>
    public static IEnumerable<ContainerView> ServingContainers(Workload workload)
    {
        var withPorts = workload.Containers.Where(c => c.Ports.Any()).ToList();
        return withPorts.Count > 0 ? withPorts : workload.Containers.Take(1);
    }
}
