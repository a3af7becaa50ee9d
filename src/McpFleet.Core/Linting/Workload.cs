using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>A container of a pod template, with its section (containers, initContainers or ephemeralContainers).</summary>
/// <param name="Node">The container mapping.</param>
/// <param name="Section">The section it is listed in.</param>
internal sealed record ContainerView(YMap Node, string Section)
{
    public string Name => Node.Str("name") ?? "";

    /// <summary>
    /// Whether the container runs for the pod's whole life: a main container, or a native sidecar (an init container
    /// with <c>restartPolicy: Always</c>, such as the proxy in front of an http server), which serves ports and probes as one.
    /// </summary>
    public bool IsMain => Section == "containers" || IsSidecar;

    /// <summary>Whether this is a native sidecar: an init container with <c>restartPolicy: Always</c>.</summary>
    public bool IsSidecar => Section == "initContainers" && Node.Str("restartPolicy") == "Always";

    public YMap? SecurityContext => Node.Map("securityContext");

    public YMap? Requests => Node.Map("resources")?.Map("requests");

    public YMap? Limits => Node.Map("resources")?.Map("limits");

    public IEnumerable<YMap> Ports => Node.Maps("ports");

    public IEnumerable<YMap> Env => Node.Maps("env");

    /// <summary>The command and args as words (each argument split on blanks, so <c>sh -c "…"</c> is seen too).</summary>
    public IReadOnlyList<string> CommandWords =>
        Spec.StdioCommands.Words((Node.Seq("command")?.Strings ?? []).Concat(Node.Seq("args")?.Strings ?? []));

    /// <summary>The mode this container runs <c>mcpfleet-proxy</c> in (<c>stdio</c>, <c>http</c>, <c>install</c>), or <see langword="null"/>.</summary>
    public string? ProxyMode => Spec.StdioCommands.ProxyMode(CommandWords, Node.Str("image"));

    public IEnumerable<YMap> Probes
    {
        get
        {
            foreach (var key in s_probeKeys)
            {
                if (Node.Map(key) is { } p)
                {
                    yield return p;
                }
            }
        }
    }

    /// <summary>The port named <paramref name="name"/> or numbered <paramref name="number"/>.</summary>
    public YMap? FindPort(string? name, long? number) =>
        Ports.FirstOrDefault(p => (name is not null && p.Str("name") == name) || (number is not null && p.Number("containerPort") == number));

    public string Describe => $"{(IsSidecar ? "sidecar" : IsMain ? "container" : Section.TrimEnd('s'))} '{Name}'";

    private static readonly string[] s_probeKeys = ["livenessProbe", "readinessProbe", "startupProbe"];
}

/// <summary>An object that runs pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod…), seen through its pod template.</summary>
internal sealed class Workload
{
    private static readonly HashSet<string> s_kinds =
        ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod"];

    private Workload(LintObject obj, YMap? templateMetadata, YMap podSpec)
    {
        Object = obj;
        TemplateMetadata = templateMetadata;
        PodSpec = podSpec;
        TemplateLabels = obj.Is("Pod") ? obj.Labels : templateMetadata?.StringMap("labels") ?? new Dictionary<string, string>();
        TemplateAnnotations = obj.Is("Pod") ? obj.Annotations : templateMetadata?.StringMap("annotations") ?? new Dictionary<string, string>();
        var containers = new List<ContainerView>();
        foreach (var section in (string[])["initContainers", "containers", "ephemeralContainers"])
        {
            containers.AddRange(podSpec.Maps(section).Select(c => new ContainerView(c, section)));
        }

        AllContainers = containers;
        Containers = [.. containers.Where(c => c.IsMain)];
        HasGpu = containers.Any(c => c.Limits?["nvidia.com/gpu"] is not null || c.Requests?["nvidia.com/gpu"] is not null);
    }

    public LintObject Object { get; }

    public YMap? TemplateMetadata { get; }

    public YMap PodSpec { get; }

    public IReadOnlyDictionary<string, string> TemplateLabels { get; }

    public IReadOnlyDictionary<string, string> TemplateAnnotations { get; }

    /// <summary>Init, main and ephemeral containers.</summary>
    public IReadOnlyList<ContainerView> AllContainers { get; }

    /// <summary>Main containers and native sidecars: the ones that run for the pod's life.</summary>
    public IReadOnlyList<ContainerView> Containers { get; }

    public bool HasGpu { get; }

    /// <summary>Whether this runs the replicated, long-lived pods that replica, HPA and PDB rules are about.</summary>
    public bool IsScalable => Object.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController";

    /// <summary><c>spec.replicas</c>, when written.</summary>
    public YScalar? ReplicasNode => Object.Spec?["replicas"] as YScalar;

    /// <summary>
    /// Whether this is an MCP server: the <c>tier: mcp</c> label, a port named <c>mcp</c>, the session-mode annotation,
    /// or the document's <c>mcp-</c> name prefix. The MCP-specific rules apply only to these.
    /// </summary>
    public bool IsMcp =>
        (TemplateLabels.TryGetValue(RuntimeContract.Labels.Tier, out var tier) && tier == RuntimeContract.Labels.TierMcp)
        || Object.Labels.TryGetValue(RuntimeContract.Labels.Tier, out tier) && tier == RuntimeContract.Labels.TierMcp
        || TemplateAnnotations.ContainsKey(RuntimeContract.Labels.SessionModeAnnotation)
        || Containers.Any(c => c.Ports.Any(p => p.Str("name") == RuntimeContract.McpPortName))
        || Object.Name.StartsWith(RuntimeContract.Labels.NamePrefix, StringComparison.Ordinal);

    /// <summary>The main container that serves MCP: the one with the <c>mcp</c> port, else the first.</summary>
    public ContainerView? McpContainer =>
        Containers.FirstOrDefault(c => c.Ports.Any(p => p.Str("name") == RuntimeContract.McpPortName)) ?? (Containers.Count > 0 ? Containers[0] : null);

    public static Workload? From(LintObject obj)
    {
        if (!s_kinds.Contains(obj.Kind))
        {
            return null;
        }

        if (obj.Is("Pod"))
        {
            return obj.Spec is { } podSpec ? new Workload(obj, obj.Metadata, podSpec) : null;
        }

        var template = obj.Is("CronJob") ? obj.Spec?.Map("jobTemplate")?.Map("spec")?.Map("template") : obj.Spec?.Map("template");
        return template?.Map("spec") is { } spec ? new Workload(obj, template.Map("metadata"), spec) : null;
    }
}
