using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using McpFleet.Rendering;

namespace McpFleet.Local.Containers;

/// <summary>
/// Turns a rendered fleet into pods that <c>podman kube play</c> runs, and says what it changed. The security context,
/// resources, env, config mount, <c>/tmp</c> emptyDir and image are the rendered ones; only what Podman does not do is
/// adapted (docs/containers.md lists each adaptation and why).
/// </summary>
public static class PodmanManifestAdapter
{
    /// <summary>The label on every pod that names the fleet's namespace, so <c>down --containers</c> finds them.</summary>
    public const string NamespaceLabel = "mcpfleet.io/namespace";

    /// <summary>The first host number of the subnet that pods get (below it: the gateway and room for others).</summary>
    private const int FirstHost = 10;

    /// <summary>Podman 4 rejects annotation values longer than a label value may be.</summary>
    private const int MaxAnnotationValueLength = 63;

    /// <summary>Adapts <paramref name="fleet"/>.</summary>
    /// <param name="fleet">The rendered fleet.</param>
    /// <param name="options">Network, ports, images and secret values.</param>
    /// <param name="errors">Receives one line per problem that stops the run (a secret without a value, no room in the subnet).</param>
    /// <returns>The plan; meaningless when <paramref name="errors"/> is not empty.</returns>
    public static PodmanFleetPlan Adapt(RenderedFleet fleet, PodmanAdapterOptions options, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var ns = fleet.Namespace.Metadata.Name;
        var network = options.Network ?? "mcpfleet-" + ns;
        var adaptations = new List<ContainerAdaptation>();
        var notApplied = new List<string> { $"Namespace/{ns} (the pods share the network {network} instead)" };

        var servers = fleet.Servers.ToList();
        var addresses = Addresses(options.Subnet, servers.Count, errors);
        var aliases = servers.Select((s, i) => new V1HostAlias
        {
            Ip = addresses.ElementAtOrDefault(i) ?? "0.0.0.0",
            Hostnames = ServiceNames(s.Find<V1Service>()?.Metadata.Name ?? RuntimeContract.Labels.NamePrefix + s.Name, ns),
        }).ToList();
        adaptations.Add(new("*", $"Services: each server's names (mcp-<name>, .{ns}, .{ns}.svc, .{ns}.svc.cluster.local) are host aliases to its pod's static address on {network}, in every pod"));
        adaptations.Add(new("*", "probes are not run by Podman: the runner waits for /ready on the published port, within the startup probe's period × failure threshold"));

        var phases = new List<PodmanPhasePlan>();
        var index = 0;
        foreach (var phase in fleet.Phases)
        {
            var planned = new List<PodmanServerPlan>();
            foreach (var server in phase.Servers)
            {
                planned.Add(AdaptServer(server, ns, network, addresses.ElementAtOrDefault(index) ?? "0.0.0.0", aliases, options, adaptations, notApplied, errors));
                index++;
            }

            phases.Add(new PodmanPhasePlan(phase.Number, phase.Name, planned));
        }

        return new PodmanFleetPlan(ns, network, phases, adaptations, notApplied);
    }

    /// <summary>The names a Service answers to inside the cluster, shortest first.</summary>
    /// <param name="service">The Service name, <c>mcp-&lt;server&gt;</c>.</param>
    /// <param name="ns">The namespace.</param>
    /// <returns>The four names.</returns>
    public static IList<string> ServiceNames(string service, string ns) =>
        [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"];

    private static PodmanServerPlan AdaptServer(
        RenderedServer server,
        string ns,
        string network,
        string address,
        IList<V1HostAlias> aliases,
        PodmanAdapterOptions options,
        List<ContainerAdaptation> adaptations,
        List<string> notApplied,
        ICollection<string> errors)
    {
        var name = server.Name;
        void Note(string what) => adaptations.Add(new(name, what));

        var deployment = Clone(server.Find<V1Deployment>() ?? throw new ArgumentException($"server {name} has no Deployment", nameof(server)));
        var configMap = server.Find<V1ConfigMap>() is { } cm ? Clone(cm) : null;
        var podName = $"{deployment.Metadata.Name}.{ns}";
        var template = deployment.Spec.Template;
        var spec = template.Spec;
        var container = spec.Containers[0];

        if (deployment.Spec.Replicas is not 1)
        {
            Note($"replicas {deployment.Spec.Replicas?.ToString(CultureInfo.InvariantCulture) ?? "(HPA)"} -> 1 pod");
        }

        foreach (var obj in server.Objects)
        {
            if (obj is V1ServiceAccount or V1NetworkPolicy or V2HorizontalPodAutoscaler or V1PodDisruptionBudget)
            {
                notApplied.Add($"{obj.Kind}/{obj.Metadata.Name}");
            }
        }

        // fieldRef (the downward API) is not supported by Podman: the values it would give are known here.
        foreach (var env in container.Env ?? [])
        {
            if (env.ValueFrom?.FieldRef is { } fieldRef)
            {
                var value = fieldRef.FieldPath switch
                {
                    "metadata.namespace" => ns,
                    "metadata.name" => podName,
                    "spec.serviceAccountName" => spec.ServiceAccountName ?? "default",
                    _ => null,
                };
                if (value is null)
                {
                    errors.Add($"{name}: env {env.Name} reads fieldRef {fieldRef.FieldPath}, which has no local value");
                    continue;
                }

                env.ValueFrom = null;
                env.Value = value;
                Note($"env {env.Name}: fieldRef {fieldRef.FieldPath} -> \"{value}\"");
            }
        }

        // ExternalSecret -> env values from the local source; they live only in the play YAML handed to Podman.
        if (server.Find<ExternalSecret>() is { } externalSecret)
        {
            notApplied.Add($"ExternalSecret/{externalSecret.Metadata.Name} (its keys come from the local env file or environment)");
            container.EnvFrom = container.EnvFrom?.Where(e => e.SecretRef?.Name != externalSecret.Spec.Target.Name).ToList() is { Count: > 0 } rest ? rest : null;
            container.Env ??= [];
            var missing = new List<string>();
            foreach (var data in externalSecret.Spec.Data)
            {
                if (options.Secrets.TryGetValue(data.SecretKey, out var value))
                {
                    container.Env.Add(new V1EnvVar { Name = data.SecretKey, Value = value });
                }
                else
                {
                    missing.Add(data.SecretKey);
                }
            }

            if (missing.Count > 0)
            {
                errors.Add($"{name}: no value for secret {string.Join(", ", missing)}: set it in the environment or in the env file");
            }

            Note($"ExternalSecret {externalSecret.Metadata.Name} -> env {string.Join(", ", externalSecret.Spec.Data.Select(d => d.SecretKey))} from the local env file or environment (never written to the fleet directory)");
        }

        if (options.Images.TryGetValue(name, out var image) && image != container.Image)
        {
            Note($"image {container.Image} -> {image}");
            container.Image = image;
        }

        // Ports: the MCP port on loopback only. Podman 4 publishes a port without hostPort on every address, so the
        // others are dropped from the spec (the process still listens on them inside the pod network).
        var mcp = container.Ports.First(p => p.Name == RuntimeContract.McpPortName);
        var hostPort = options.HostPorts.TryGetValue(name, out var p) ? p : options.AnyPort ? FreePorts.Next() : mcp.ContainerPort;
        mcp.HostPort = hostPort;
        mcp.HostIP = "127.0.0.1";
        foreach (var other in container.Ports.Where(port => port != mcp))
        {
            Note($"port {other.Name} {other.ContainerPort}: not published (reachable at {address}:{other.ContainerPort} on {network})");
        }

        container.Ports = [mcp];
        Note($"port {RuntimeContract.McpPortName} {mcp.ContainerPort} -> published on 127.0.0.1:{hostPort}");

        var startup = container.StartupProbe;
        var readyTimeout = TimeSpan.FromSeconds(
            startup is null
                ? RuntimeContract.Probes.StartupPeriodSeconds * RuntimeContract.Probes.StartupFailureThreshold
                : (startup.PeriodSeconds ?? RuntimeContract.Probes.StartupPeriodSeconds) * (startup.FailureThreshold ?? RuntimeContract.Probes.StartupFailureThreshold));
        container.StartupProbe = null;
        container.LivenessProbe = null;
        container.ReadinessProbe = null;

        var grace = TimeSpan.FromSeconds(spec.TerminationGracePeriodSeconds ?? RuntimeContract.Shutdown.TerminationGracePeriodSeconds);
        if (container.Lifecycle?.PreStop is { } preStop)
        {
            container.Lifecycle = null;
            Note($"preStop {(preStop.Sleep is { } sleep ? $"sleep {sleep.Seconds} s" : "hook")}: not run (no endpoints to leave); terminationGracePeriodSeconds {grace.TotalSeconds} -> podman pod stop --time {grace.TotalSeconds}");
        }

        // Podman 4 names emptyDir and ConfigMap volumes globally, after the volume and the ConfigMap: make them the pod's own.
        var volumes = new List<string>();
        foreach (var volume in spec.Volumes ?? [])
        {
            var renamed = $"{podName}-{volume.Name}";
            // Every container's mounts, init containers' too (the proxy's init container fills a volume the server runs from).
            foreach (var mount in spec.Containers.Concat(spec.InitContainers ?? []).SelectMany(c => c.VolumeMounts ?? []))
            {
                if (mount.Name == volume.Name)
                {
                    mount.Name = renamed;
                }
            }

            if (volume.ConfigMap is { } source && configMap is not null && source.Name == configMap.Metadata.Name)
            {
                configMap.Metadata.Name = $"{configMap.Metadata.Name}.{ns}";
                source.Name = configMap.Metadata.Name;
                volumes.Add(configMap.Metadata.Name);
            }
            else
            {
                volumes.Add(renamed);
            }

            volume.Name = renamed;
        }

        Note($"volumes {string.Join(", ", volumes)}: named after the pod (Podman 4 names volumes globally)");

        var annotations = template.Metadata.Annotations ?? new Dictionary<string, string>();
        foreach (var (key, value) in annotations.Where(a => a.Value.Length > MaxAnnotationValueLength).ToList())
        {
            annotations.Remove(key);
            Note($"annotation {key} dropped (Podman 4 rejects annotation values over {MaxAnnotationValueLength} characters)");
        }

        var labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [NamespaceLabel] = ns,
        };

        // A Deployment's pods restart (Always); Podman restarting at once would hide a crash at start behind a running
        // container whose exit code reads 0. The runner reports it with its exit code and stops instead.
        spec.RestartPolicy = "Never";
        Note("restartPolicy Always -> Never: a server that exits is reported with its exit code, not restarted");

        // Kubernetes-only fields that Podman ignores or rejects; the pod needs no token and has none either way.
        spec.ServiceAccountName = null;
        spec.EnableServiceLinks = null;
        spec.TopologySpreadConstraints = null;
        spec.HostAliases = [.. aliases];

        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = V1Pod.KubeKind,
            Metadata = new V1ObjectMeta { Name = podName, Labels = labels, Annotations = annotations.Count > 0 ? annotations : null },
            Spec = spec,
        };
        var documents = new List<object>();
        if (configMap is not null)
        {
            documents.Add(configMap);
        }

        documents.Add(pod);
        return new PodmanServerPlan(
            name, podName, $"{podName}-{container.Name}", address, hostPort, mcp.ContainerPort, container.Image,
            readyTimeout, grace, volumes, ManifestYaml.SerializeAll(documents));
    }

    private static T Clone<T>(T value)
        where T : class => (T)ManifestYaml.LoadAll(ManifestYaml.Serialize(value))[0];

    private static List<string> Addresses(string subnet, int count, ICollection<string> errors)
    {
        if (!IPNetwork.TryParse(subnet, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            errors.Add($"the network's subnet '{subnet}' is not an IPv4 subnet");
            return [];
        }

        var hosts = (1L << (32 - network.PrefixLength)) - 2;
        if (FirstHost + count > hosts)
        {
            errors.Add($"the subnet {subnet} has no room for {count} pods from its host {FirstHost} on");
            return [];
        }

        var baseValue = BitConverter.ToUInt32([.. network.BaseAddress.GetAddressBytes().Reverse()]);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var bytes = BitConverter.GetBytes(baseValue + (uint)(FirstHost + i));
            Array.Reverse(bytes);
            return new IPAddress(bytes).ToString();
        })];
    }
}
