using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ReadOnlyRootFilesystemRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP036", "read-only-rootfs", DiagnosticSeverity.Warning,
        "Every container has readOnlyRootFilesystem: true, with an emptyDir mounted at /tmp (info).",
        "A writable root filesystem lets an attacker drop tools and persist; with it read-only, the runtime still needs a writable /tmp.",
        $"Set `readOnlyRootFilesystem: true` and mount an emptyDir at {RuntimeContract.TempDirectory}.",
        null,
        "KL no-read-only-root-fs, PO notReadOnlyRootFilesystem, KS container-security-context-readonlyrootfilesystem, CK CKV_K8S_22, TV KSV-0014");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                var value = c.SecurityContext?["readOnlyRootFilesystem"] as YScalar;
                if (value?.AsBool() != true)
                {
                    findings.Report(w.Object, (YNode?)value ?? c.Node.KeyNode("securityContext") ?? c.Node["name"],
                        $"{c.Describe} does not set readOnlyRootFilesystem: true");
                }
                else if (c.IsMain && !c.Node.Maps("volumeMounts").Any(m => m.Str("mountPath") == RuntimeContract.TempDirectory))
                {
                    findings.Report(w.Object, value, $"{c.Describe} has a read-only root but no volume at {RuntimeContract.TempDirectory}", DiagnosticSeverity.Info);
                }
            }
        }
    }
}
