using System.Text.RegularExpressions;
using McpFleet.Spec.Validation;

namespace McpFleet.Import.Mapping;

/// <summary>What happens to the Compose service keys that have no mapping, and which labels are worth keeping.</summary>
internal static partial class ComposeFieldNotes
{
    private static readonly Dictionary<string, (FieldOutcome Outcome, string Detail, bool Attention)> s_notes = new(StringComparer.Ordinal)
    {
        ["networks"] = (FieldOutcome.Dropped, "Kubernetes has one flat pod network; each server's NetworkPolicy admits MCP peers, the callers and its dependencies instead", false),
        ["network_mode"] = (FieldOutcome.Refused, "pods get their own network namespace; host or container network modes are not available under Pod Security restricted", true),
        ["restart"] = (FieldOutcome.Dropped, "Kubernetes restarts failed containers (restartPolicy Always) with back-off", false),
        ["container_name"] = (FieldOutcome.Dropped, "pod names are generated; the server is reached by its Service name mcp-<name>", false),
        ["hostname"] = (FieldOutcome.Dropped, "the pod name is the hostname; the server is reached by its Service name", false),
        ["domainname"] = (FieldOutcome.Dropped, "cluster DNS names services as <svc>.<namespace>.svc.cluster.local", false),
        ["logging"] = (FieldOutcome.Dropped, "containers log JSON to stdout; the cluster's log collector ships it", false),
        ["user"] = (FieldOutcome.Changed, "pods run as UID/GID 65532, non-root (Pod Security restricted); the image must work as that user", true),
        ["privileged"] = (FieldOutcome.Refused, "privileged containers are forbidden under Pod Security restricted", true),
        ["cap_add"] = (FieldOutcome.Refused, "containers drop ALL capabilities and may add none under Pod Security restricted", true),
        ["cap_drop"] = (FieldOutcome.Changed, "containers drop ALL capabilities", false),
        ["security_opt"] = (FieldOutcome.Changed, "pods use seccomp RuntimeDefault and no privilege escalation", false),
        ["read_only"] = (FieldOutcome.Changed, "the root filesystem is always read-only; /tmp is writable", false),
        ["stop_grace_period"] = (FieldOutcome.Changed, $"terminationGracePeriodSeconds is {RuntimeContract.Shutdown.TerminationGracePeriodSeconds}s from the runtime contract (preStop sleep, drain, shutdown)", false),
        ["stop_signal"] = (FieldOutcome.Changed, "the kubelet sends SIGTERM; the server drains on it (runtime contract)", false),
        ["init"] = (FieldOutcome.Dropped, "no init process is injected; the server must handle SIGTERM itself", false),
        ["ulimits"] = (FieldOutcome.Dropped, "ulimits are set by the node's container runtime, not per pod", true),
        ["sysctls"] = (FieldOutcome.Refused, "sysctls need a privileged node setting under Pod Security restricted", true),
        ["extra_hosts"] = (FieldOutcome.Dropped, "hostAliases are not rendered; use DNS names", true),
        ["dns"] = (FieldOutcome.Dropped, "pods use cluster DNS", true),
        ["dns_search"] = (FieldOutcome.Dropped, "pods use cluster DNS", true),
        ["dns_opt"] = (FieldOutcome.Dropped, "pods use cluster DNS", true),
        ["working_dir"] = (FieldOutcome.Dropped, "the image's WORKDIR applies; set it in the Dockerfile", true),
        ["devices"] = (FieldOutcome.Refused, "host devices are forbidden under Pod Security restricted (GPUs come through the NVIDIA device plugin)", true),
        ["shm_size"] = (FieldOutcome.Dropped, "/dev/shm keeps the runtime default", true),
        ["ipc"] = (FieldOutcome.Refused, "host IPC is forbidden under Pod Security restricted", true),
        ["pid"] = (FieldOutcome.Refused, "host PID is forbidden under Pod Security restricted", true),
        ["links"] = (FieldOutcome.Dropped, "services reach each other by Service name; use depends_on for ordering", false),
        ["external_links"] = (FieldOutcome.Dropped, "services reach each other by Service name", true),
        ["configs"] = (FieldOutcome.Dropped, $"config files are not mounted: a server gets {RuntimeContract.ConfigPath} from its ConfigMap; move settings into env or bake them into the image", true),
        ["tty"] = (FieldOutcome.Dropped, "no terminal in a pod", false),
        ["stdin_open"] = (FieldOutcome.Dropped, "no stdin in a pod; MCP runs over Streamable HTTP", false),
        ["profiles"] = (FieldOutcome.Dropped, "one of its profiles is enabled (--profile), or --include names it: it is part of the fleet", false),
        ["platform"] = (FieldOutcome.Dropped, "the node's architecture decides; publish a multi-arch image", false),
        ["pull_policy"] = (FieldOutcome.Changed, "imagePullPolicy is IfNotPresent; pin versions instead of pulling latest", false),
        ["cpu_shares"] = (FieldOutcome.Dropped, "use deploy.resources (requests and limits)", false),
        ["memswap_limit"] = (FieldOutcome.Dropped, "Kubernetes nodes run without swap for pods", false),
        ["mem_swappiness"] = (FieldOutcome.Dropped, "Kubernetes nodes run without swap for pods", false),
        ["oom_score_adj"] = (FieldOutcome.Dropped, "the kubelet sets OOM scores from the QoS class", false),
        ["extends"] = (FieldOutcome.Dropped, "`extends` is not resolved by the importer; merge the base service into this file, or pass both files in order", true),
        ["annotations"] = (FieldOutcome.Dropped, "container annotations are not carried over", false),
        ["develop"] = (FieldOutcome.Dropped, "Compose Watch is a development feature", false),
        ["group_add"] = (FieldOutcome.Dropped, "pods run with fsGroup 65532", true),
        ["cgroup_parent"] = (FieldOutcome.Dropped, "the kubelet manages cgroups", false),
        ["isolation"] = (FieldOutcome.Dropped, "Windows-only", false),
        ["userns_mode"] = (FieldOutcome.Refused, "host user namespaces are forbidden under Pod Security restricted", true),
    };

    // The keys the service mapping reads itself; with the notes above, every key a did-you-mean may suggest.
    private static readonly string[] s_mappedKeys =
    [
        "image", "build", "ports", "expose", "environment", "env_file", "secrets", "deploy", "depends_on", "healthcheck",
        "command", "entrypoint", "labels", "volumes", "tmpfs", "mem_limit", "mem_reservation", "cpus", "scale", "runtime",
    ];

    private static readonly string[] s_droppedLabelPrefixes = ["com.docker.", "traefik.", "org.opencontainers.", "org.label-schema.", "kompose.", "io.kompose."];

    /// <summary>Tells what becomes of a service key that has no mapping of its own.</summary>
    /// <param name="key">The key.</param>
    /// <param name="node">Its value.</param>
    /// <returns>The outcome, an explanation, and whether a person must act.</returns>
    public static (FieldOutcome Outcome, string Detail, bool Attention) ForServiceKey(string key, ComposeNode node)
    {
        if (key == "network_mode" && (node as ComposeScalar)?.Text is "bridge" or "default")
        {
            return (FieldOutcome.Dropped, "pods have their own network namespace", false);
        }

        if (key == "privileged" && (node as ComposeScalar)?.Text is "false" or "False")
        {
            return (FieldOutcome.Dropped, "containers are never privileged", false);
        }

        if (s_notes.TryGetValue(key, out var note))
        {
            return note;
        }

        var closest = SpecText.Closest(key, s_mappedKeys.Concat(s_notes.Keys));
        return (FieldOutcome.Dropped, closest is null ? "not a Compose field the importer maps" : $"not a Compose field; did you mean `{closest}`? (a misspelt field is left out, so its settings are lost)", true);
    }

    /// <summary>Decides whether a Compose label is worth keeping as a Kubernetes label.</summary>
    /// <param name="key">The label key.</param>
    /// <param name="value">The label value.</param>
    /// <returns>Whether to keep it, and why not.</returns>
    public static (bool Keep, string Why) JudgeLabel(string key, string value)
    {
        if (key is "app" or "tier" or "version" || key.StartsWith("app.kubernetes.io/", StringComparison.Ordinal)
            || key.StartsWith("mcpfleet.io/", StringComparison.Ordinal) || key.StartsWith("helm.sh/", StringComparison.Ordinal))
        {
            return (false, "McpFleet sets this label itself");
        }

        foreach (var prefix in s_droppedLabelPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (false, prefix == "traefik." ? "reverse-proxy routing; ingress is not part of the fleet spec" : "tool or image metadata, not a workload label");
            }
        }

        if (!LabelKey().IsMatch(key))
        {
            return (false, "not a valid Kubernetes label key");
        }

        if (!LabelValue().IsMatch(value))
        {
            return (false, "the value is not a valid Kubernetes label value (63 characters of [A-Za-z0-9-_.])");
        }

        return (true, "");
    }

    [GeneratedRegex(@"^(?:(?=.{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();
}
