using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class SecretsFromExternalSecretRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP063", "secrets-from-external-secret", DiagnosticSeverity.Error,
        "An MCP pod reads its Secrets from ones an ExternalSecret in the bundle produces, not from Secret manifests with inline data.",
        "A Secret manifest in the repository is a credential in git (base64 is not encryption); the document mandates External Secrets Operator.",
        "Replace the Secret with an ExternalSecret whose target.name is the Secret's name and whose data pulls each key from the store.",
        ChecklistItem.ExternalSecrets,
        "new (the document's Important Notes 5)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.McpWorkloads)
        {
            foreach (var r in RuleHelpers.SecretRefs(w).DistinctBy(r => r.Name))
            {
                var plain = context.FindNamed("Secret", w.Object, r.Name);
                if (plain is not null && !context.ExternalSecretsProducing(w.Object, r.Name).Any()
                    && (plain.Root["data"] is not null || plain.Root["stringData"] is not null))
                {
                    findings.Report(w.Object, r.Node, $"reads Secret '{r.Name}', a manifest with inline data; produce it with an ExternalSecret");
                }
            }
        }
    }
}
