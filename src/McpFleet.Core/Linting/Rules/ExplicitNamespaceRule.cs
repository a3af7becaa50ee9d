using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Linting.Rules;

internal sealed class ExplicitNamespaceRule : ILintRule
{
    private static readonly HashSet<string> s_clusterScoped =
    [
        "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "ClusterRole", "ClusterRoleBinding",
        "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass", "ClusterSecretStore",
        "ClusterExternalSecret", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
        "ClusterIssuer", "VolumeAttachment", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    ];

    public LintRuleInfo Info { get; } = new(
        "MCP006", "explicit-namespace", DiagnosticSeverity.Warning,
        "Namespaced objects set metadata.namespace, and not `default`.",
        "Without a namespace the objects land wherever the kubectl context points; `default` has no Pod Security labels or quotas.",
        $"Set metadata.namespace (the document uses {FleetDefaults.Namespace}).",
        null,
        "KL use-namespace, CK CKV_K8S_21, TV KSV-0110");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            if (obj.Kind.Length == 0 || s_clusterScoped.Contains(obj.Kind))
            {
                continue;
            }

            if (obj.Namespace.Length == 0)
            {
                findings.Report(obj, obj.Root.KeyNode("metadata"), "metadata.namespace is not set");
            }
            else if (obj.Namespace == "default")
            {
                findings.Report(obj, obj.Metadata?["namespace"], "runs in the 'default' namespace");
            }
        }
    }
}
