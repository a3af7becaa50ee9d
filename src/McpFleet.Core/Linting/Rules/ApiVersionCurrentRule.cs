using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ApiVersionCurrentRule : ILintRule
{
    // apiVersions that current Kubernetes no longer serves, with their replacement.
    private static readonly Dictionary<string, string> s_removed = new(StringComparer.Ordinal)
    {
        ["extensions/v1beta1"] = "apps/v1 (workloads) or networking.k8s.io/v1 (Ingress, NetworkPolicy)",
        ["apps/v1beta1"] = "apps/v1",
        ["apps/v1beta2"] = "apps/v1",
        ["autoscaling/v2beta1"] = "autoscaling/v2",
        ["autoscaling/v2beta2"] = "autoscaling/v2",
        ["policy/v1beta1"] = "policy/v1",
        ["networking.k8s.io/v1beta1"] = "networking.k8s.io/v1",
        ["batch/v1beta1"] = "batch/v1",
        ["batch/v2alpha1"] = "batch/v1",
        ["rbac.authorization.k8s.io/v1beta1"] = "rbac.authorization.k8s.io/v1",
        ["rbac.authorization.k8s.io/v1alpha1"] = "rbac.authorization.k8s.io/v1",
        ["apiextensions.k8s.io/v1beta1"] = "apiextensions.k8s.io/v1",
        ["admissionregistration.k8s.io/v1beta1"] = "admissionregistration.k8s.io/v1",
        ["scheduling.k8s.io/v1beta1"] = "scheduling.k8s.io/v1",
        ["storage.k8s.io/v1beta1"] = "storage.k8s.io/v1",
        ["coordination.k8s.io/v1beta1"] = "coordination.k8s.io/v1",
        ["node.k8s.io/v1beta1"] = "node.k8s.io/v1",
        ["discovery.k8s.io/v1beta1"] = "discovery.k8s.io/v1",
        ["flowcontrol.apiserver.k8s.io/v1beta1"] = "flowcontrol.apiserver.k8s.io/v1",
        ["flowcontrol.apiserver.k8s.io/v1beta2"] = "flowcontrol.apiserver.k8s.io/v1",
        ["flowcontrol.apiserver.k8s.io/v1beta3"] = "flowcontrol.apiserver.k8s.io/v1",
    };

    public LintRuleInfo Info { get; } = new(
        "MCP003", "api-version-current", DiagnosticSeverity.Error,
        "Objects use served API versions: apps/v1, autoscaling/v2, policy/v1, networking.k8s.io/v1, batch/v1 (ExternalSecret: MCP060).",
        "The API server rejects removed versions at apply time, usually in the middle of a rollout.",
        "Change apiVersion to the replacement the message names and adapt the fields that changed.",
        null,
        "KL no-extensions-v1beta, KS stable-version, HL --kube-version, TV KSV-0107");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            if (s_removed.TryGetValue(obj.ApiVersion, out var replacement))
            {
                findings.Report(obj, obj.Root["apiVersion"], $"apiVersion {obj.ApiVersion} is no longer served; use {replacement}");
            }
        }
    }
}
