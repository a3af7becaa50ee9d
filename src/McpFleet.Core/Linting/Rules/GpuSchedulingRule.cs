using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class GpuSchedulingRule : ILintRule
{
    private const string Gpu = "nvidia.com/gpu";

    public LintRuleInfo Info { get; } = new(
        "MCP009", "gpu-scheduling", DiagnosticSeverity.Error,
        "A pod with an nvidia.com/gpu resource has it in limits (requests equal limits), a nodeSelector or node affinity, a toleration for the GPU taint, and (Deployments) maxSurge 0.",
        "GPU nodes are tainted, so without a toleration the pod stays Pending; extended resources cannot be overcommitted, so requests must equal limits; a surge pod waits forever for a second GPU and stalls the rollout.",
        $"Set the same `{Gpu}` count in requests and limits, add `nodeSelector` (e.g. `gpu-type`), a toleration `{{key: {Gpu}, operator: Exists, effect: NoSchedule}}`, and `strategy.rollingUpdate: {{maxSurge: 0, maxUnavailable: 1}}`.",
        ChecklistItem.Resources,
        "new (the document's GPU example; NVIDIA device plugin docs)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.HasGpu))
        {
            foreach (var c in w.AllContainers)
            {
                var request = c.Requests?[Gpu] as YScalar;
                var limit = c.Limits?[Gpu] as YScalar;
                if (request is not null && limit is null)
                {
                    findings.Report(w.Object, request, $"{c.Describe} requests {Gpu} without a limit; extended resources must be set in limits");
                }
                else if (request is not null && limit is not null && request.Value != limit.Value)
                {
                    findings.Report(w.Object, request, $"{c.Describe} requests {request.Value} {Gpu} but limits {limit.Value}; they must be equal");
                }
            }

            var spec = w.PodSpec;
            if (spec.Map("nodeSelector") is not { Entries.Count: > 0 } && spec.Map("affinity")?.Map("nodeAffinity") is null)
            {
                findings.Report(w.Object, spec.KeyNode("containers"), "GPU pod has no nodeSelector or node affinity for GPU nodes");
            }

            var tolerated = spec.Maps("tolerations").Any(t => t.Str("key") == Gpu || (t.Str("key") is null && t.Str("operator") == "Exists"));
            if (!tolerated)
            {
                findings.Report(w.Object, (YNode?)spec.KeyNode("nodeSelector") ?? spec.KeyNode("containers"),
                    $"GPU pod does not tolerate the '{Gpu}' taint, so it stays Pending on tainted GPU nodes");
            }

            if (w.Object.Is("Deployment") && w.Object.Spec?.Map("strategy") is var strategy && strategy?.Str("type") != "Recreate")
            {
                var surge = strategy?.Map("rollingUpdate")?["maxSurge"] as YScalar;
                if (surge is null || (surge.Value != "0" && surge.Value != "0%"))
                {
                    findings.Report(w.Object, (YNode?)surge ?? w.Object.Spec?.KeyNode("strategy") ?? w.Object.Root.KeyNode("spec"),
                        $"GPU Deployment rolls out with maxSurge {surge?.Value ?? "25% (the default)"}; the surge pod waits for a free GPU, set maxSurge: 0 and maxUnavailable: 1",
                        DiagnosticSeverity.Warning);
                }
            }
        }
    }
}
