using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ExternalSecretTargetConsumedRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP062", "es-target-consumed", DiagnosticSeverity.Error,
        "The Secret an ExternalSecret writes (target.name, else its name) is read by a pod, and every secretKeyRef into it names a key the ExternalSecret defines.",
        "A target name that differs from the Deployment's secretRef by one character leaves the pod in CreateContainerConfigError; a missing key does the same for secretKeyRef.",
        "Make `target.name` equal the `envFrom.secretRef.name` of the Deployment (the document: `mcp-<name>-secrets`) and list every key in `data[].secretKey`.",
        ChecklistItem.ExternalSecrets,
        "new (KL env-value-from analogue)");

    public void Check(LintContext context, FindingCollector findings)
    {
        var consumers = context.Workloads.SelectMany(w => RuleHelpers.SecretRefs(w).Select(r => (w, r))).ToLookup(x => x.r.Name, StringComparer.Ordinal);
        foreach (var es in context.OfKind("ExternalSecret"))
        {
            var target = LintContext.ExternalSecretTarget(es);
            var uses = consumers[target].Where(x => x.w.Object.SameNamespace(es)).ToList();
            if (uses.Count == 0)
            {
                findings.Report(es, (YNode?)es.Spec?.Map("target")?["name"] ?? es.Metadata?["name"], $"no pod in the bundle reads the Secret '{target}' this ExternalSecret writes");
                continue;
            }

            if (es.Spec?["dataFrom"] is not null || es.Spec?.Map("target")?["template"] is not null)
            {
                continue;
            }

            var keys = es.Spec?.Maps("data").Select(d => d.Str("secretKey")).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var (w, r) in uses.Where(x => x.r.Key is not null && !keys.Contains(x.r.Key)))
            {
                findings.Report(w.Object, r.Node, $"secretKeyRef key '{r.Key}' is not a data[].secretKey of ExternalSecret '{es.Name}'");
            }
        }
    }
}
