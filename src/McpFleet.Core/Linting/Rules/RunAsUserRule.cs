using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class RunAsUserRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP031", "run-as-user", DiagnosticSeverity.Error,
        "runAsUser is not 0 on the pod or any container; a UID above 10000 is suggested (info).",
        "UID 0 is root whatever runAsNonRoot says (the kubelet refuses to start it); low UIDs can collide with host users that own files on hostPath mounts.",
        "Use `runAsUser: 65532` (the distroless nonroot user).",
        null,
        "PSS Restricted, KS container-security-context-user-group-id, CK CKV_K8S_40, TV KSV-0020/0105");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(w => w.PodSpec.Bool("hostUsers") != false))
        {
            var nodes = new List<(YScalar Node, string Where)>();
            if (w.PodSpec.Map("securityContext")?["runAsUser"] is YScalar podUser)
            {
                nodes.Add((podUser, "the pod"));
            }

            nodes.AddRange(w.AllContainers.Where(c => c.SecurityContext?["runAsUser"] is YScalar).Select(c => ((YScalar)c.SecurityContext!["runAsUser"]!, c.Describe)));
            foreach (var (node, where) in nodes)
            {
                var uid = node.AsInt();
                if (uid == 0)
                {
                    findings.Report(w.Object, node, $"{where} sets runAsUser: 0 (root)");
                }
                else if (uid is { } u && u <= 10000)
                {
                    findings.Report(w.Object, node, $"{where} runs as UID {u}; a UID above 10000 avoids host users", DiagnosticSeverity.Info);
                }
            }
        }
    }
}
