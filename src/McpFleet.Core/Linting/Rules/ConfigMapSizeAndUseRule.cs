using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ConfigMapSizeAndUseRule : ILintRule
{
    private const long MaxBytes = 1024 * 1024;

    public LintRuleInfo Info { get; } = new(
        "MCP051", "configmap-size-and-use", DiagnosticSeverity.Error,
        "A ConfigMap's data stays under 1 MiB; a ConfigMap no pod in the bundle reads is noted (info).",
        "etcd rejects objects over 1 MiB; an unused ConfigMap is usually a typo in the reference that points somewhere else.",
        "Split large data or mount it from an image or volume; delete unused ConfigMaps or fix the reference.",
        null,
        "Kubernetes object size limit");

    public void Check(LintContext context, FindingCollector findings)
    {
        var used = new HashSet<(string, string)>();
        foreach (var w in context.Workloads)
        {
            foreach (var r in RuleHelpers.ConfigMapRefs(w))
            {
                used.Add((w.Object.Namespace, r.Name));
            }
        }

        foreach (var cm in context.OfKind("ConfigMap"))
        {
            long size = 0;
            foreach (var (key, value) in cm.Root.Map("data")?.Entries ?? [])
            {
                size += key.Value.Length + ((value as YScalar)?.Value.Length ?? 0);
            }

            foreach (var (key, value) in cm.Root.Map("binaryData")?.Entries ?? [])
            {
                size += key.Value.Length + ((value as YScalar)?.Value.Length ?? 0) * 3 / 4;
            }

            if (size > MaxBytes)
            {
                findings.Report(cm, cm.Root.KeyNode("data") ?? cm.Root.KeyNode("binaryData"), $"data is {size} bytes, over the 1 MiB object limit");
            }

            var referenced = used.Contains((cm.Namespace, cm.Name))
                || context.Workloads.Any(w => w.Object.SameNamespace(cm) && RuleHelpers.ConfigMapRefs(w).Any(r => r.Name == cm.Name));
            if (!referenced)
            {
                findings.Report(cm, cm.Metadata?["name"], "no pod in the bundle reads this ConfigMap", DiagnosticSeverity.Info);
            }
        }
    }
}
