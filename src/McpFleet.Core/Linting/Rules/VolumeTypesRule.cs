using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class VolumeTypesRule : ILintRule
{
    private static readonly HashSet<string> s_allowed =
        ["name", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret", "hostPath"];

    public LintRuleInfo Info { get; } = new(
        "MCP037", "volume-types", DiagnosticSeverity.Error,
        "Volumes use only the Pod Security Restricted types: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret (hostPath: MCP027).",
        "Other volume types (nfs, iscsi, rbd…) mount storage with node credentials and are rejected by a restricted namespace.",
        "Use a PersistentVolumeClaim or CSI volume instead of the in-tree type.",
        null,
        "PSS Restricted, TV KSV-0028");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var v in w.PodSpec.Maps("volumes"))
            {
                foreach (var (key, _) in v.Entries.Where(e => !s_allowed.Contains(e.Key.Value)))
                {
                    findings.Report(w.Object, key, $"volume '{v.Str("name")}' uses type {key.Value}, which Pod Security Restricted forbids");
                }
            }
        }
    }
}
