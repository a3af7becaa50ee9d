using System.Globalization;
using System.Text.RegularExpressions;

namespace McpFleet.Import.Mapping;

/// <summary><c>deploy</c> (Swarm): replicas, resources, placement and labels; the rollout settings the contract fixes.</summary>
internal static partial class DeployMapping
{
    /// <summary>Maps <c>deploy</c>.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void Map(ServiceMapping mapping, ComposeNode node)
    {
        if (node is not ComposeMap deploy)
        {
            mapping.Report("deploy", FieldOutcome.Dropped, "not a mapping", node.Location, true);
            return;
        }

        foreach (var (key, value) in deploy.Entries)
        {
            var field = "deploy." + key;
            switch (key)
            {
                case "replicas":
                    MapReplicas(mapping, field, value);
                    break;
                case "resources":
                    ResourceMapping.MapResources(mapping, value);
                    break;
                case "placement":
                    MapPlacement(mapping, value);
                    break;
                case "labels":
                    LabelMapping.Map(mapping, field, value);
                    break;
                case "mode":
                    if ((value as ComposeScalar)?.Text == "global")
                    {
                        mapping.Report(field, FieldOutcome.Dropped, "`global` (one task per node) is a DaemonSet pattern; MCP servers run as Deployments with `replicas`", value.Location, true);
                    }
                    else
                    {
                        mapping.Report(field, FieldOutcome.Mapped, "replicated: a Deployment", value.Location);
                    }

                    break;
                case "update_config":
                case "rollback_config":
                    mapping.Report(field, FieldOutcome.Changed, "rollouts use RollingUpdate with maxSurge 25% and maxUnavailable 0 (GPU: maxSurge 0, maxUnavailable 1); `mcpfleet deploy` rolls back a failed phase", value.Location);
                    break;
                case "restart_policy":
                    mapping.Report(field, FieldOutcome.Dropped, "Kubernetes restarts failed containers (restartPolicy Always) with back-off", value.Location);
                    break;
                case "endpoint_mode":
                    mapping.Report(field, FieldOutcome.Dropped, "a ClusterIP Service load-balances over ready pods", value.Location);
                    break;
                default:
                    mapping.Report(field, key.StartsWith("x-", StringComparison.Ordinal) ? FieldOutcome.Ignored : FieldOutcome.Dropped, key.StartsWith("x-", StringComparison.Ordinal) ? "extension field" : "not supported", value.Location);
                    break;
            }
        }
    }

    /// <summary>Maps <c>deploy.replicas</c> or <c>scale</c>.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field.</param>
    /// <param name="node">The value.</param>
    public static void MapReplicas(ServiceMapping mapping, string field, ComposeNode node)
    {
        if (int.TryParse((node as ComposeScalar)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas >= 1)
        {
            mapping.Draft.Replicas = replicas;
            mapping.Report(field, FieldOutcome.Mapped, $"replicas: {replicas} (no HPA, so the Deployment owns the count)", node.Location);
        }
        else
        {
            mapping.Report(field, FieldOutcome.Dropped, "not a positive whole number; the fleet default applies", node.Location, true);
        }
    }

    private static void MapPlacement(ServiceMapping mapping, ComposeNode node)
    {
        if (node is not ComposeMap placement)
        {
            return;
        }

        foreach (var (key, value) in placement.Entries)
        {
            var field = "deploy.placement." + key;
            if (key == "constraints" && value is ComposeSequence constraints)
            {
                for (var i = 0; i < constraints.Items.Count; i++)
                {
                    var item = constraints.Items[i];
                    var c = (item as ComposeScalar)?.Text ?? "";
                    var match = Constraint().Match(c);
                    if (!(match.Success && match.Groups[2].Value == "==" && GpuMapping.MapConstraint(mapping, $"{field}[{i}]", match.Groups[1].Value, match.Groups[3].Value, item)))
                    {
                        mapping.Report($"{field}[{i}]", FieldOutcome.Dropped, $"{mapping.Context.Quote(item, c)}: node constraints other than GPUs are not carried over, as the fleet spec has no node selector; if the server must run on certain nodes, add a nodeSelector or node affinity to the rendered Deployment mcp-{mapping.Draft.Name} with a Kustomize patch", item.Location, true);
                    }
                }
            }
            else if (key is "preferences" or "max_replicas_per_node")
            {
                mapping.Report(field, FieldOutcome.Changed, "replicas spread over nodes with a topologySpreadConstraint on kubernetes.io/hostname", value.Location);
            }
            else
            {
                mapping.Report(field, FieldOutcome.Dropped, "not supported", value.Location, true);
            }
        }
    }

    [GeneratedRegex(@"^\s*([A-Za-z0-9_.\-]+)\s*(==|!=)\s*(.+?)\s*$")]
    private static partial Regex Constraint();
}
