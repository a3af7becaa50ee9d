using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class NoHostAccessRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP027", "no-host-access", DiagnosticSeverity.Error,
        "No hostNetwork, hostPID, hostIPC, hostPort or hostPath volume (docker.sock above all).",
        "Each one breaks the pod out of its sandbox; Pod Security Baseline forbids them, so the namespace of the document's fleet rejects the pod.",
        "Remove the field; reach the pod through its Service, and use emptyDir or a ConfigMap instead of host paths.",
        null,
        "PSS Baseline, KL host-*/docker-sock/sensitive-host-mounts, PO hostNetworkSet/hostPathSet, CK CKV_K8S_17-19/26/27, TV KSV-0006/8-10/23/24");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var key in (string[])["hostNetwork", "hostPID", "hostIPC"])
            {
                if (w.PodSpec.Bool(key) == true)
                {
                    findings.Report(w.Object, w.PodSpec[key], $"{key} is true");
                }
            }

            foreach (var c in w.AllContainers)
            {
                foreach (var p in c.Ports.Where(p => p.Number("hostPort") is { } h && h != 0))
                {
                    findings.Report(w.Object, p["hostPort"], $"{c.Describe} binds hostPort {p.Number("hostPort")}");
                }
            }

            foreach (var v in w.PodSpec.Maps("volumes"))
            {
                if (v.Map("hostPath") is { } hostPath)
                {
                    var path = hostPath.Str("path") ?? "";
                    findings.Report(w.Object, hostPath, path.EndsWith("docker.sock", StringComparison.Ordinal)
                        ? $"volume '{v.Str("name")}' mounts the container runtime socket {path}: root on the node"
                        : $"volume '{v.Str("name")}' mounts host path {path}");
                }
            }
        }
    }
}
