using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>
/// A PodDisruptionBudget for servers that can run 2 or more pods: node drains evict one pod at a time, and a pod that
/// is not Ready may always be evicted, so a crash-looping pod cannot block a drain.
/// </summary>
internal static class PodDisruptionBudgetBuilder
{
    public static V1PodDisruptionBudget Build(ServerContext c) => new()
    {
        ApiVersion = "policy/v1",
        Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = c.Metadata(c.Name),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = c.Selector() },
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
        },
    };
}
