using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class NoSecretLiteralEnvRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP020", "no-secret-literal-env", DiagnosticSeverity.Error,
        "No env var with a credential-like name (API_KEY, PASSWORD, TOKEN…) or credential-like content (PEM, ghp_, xoxb-, AKIA…) has a literal value.",
        "A literal lands in git, in `kubectl get -o yaml`, and in every log of the manifest; the document says never to hardcode credentials.",
        "Move the value to the secret store and read it with `envFrom.secretRef` / `valueFrom.secretKeyRef` of the Secret an ExternalSecret produces.",
        ChecklistItem.ExternalSecrets,
        "KL env-var-secret, PO sensitiveContainerEnvVar, CK CKV_K8S_35");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                foreach (var env in c.Env)
                {
                    var name = env.Str("name") ?? "";
                    if (env["value"] is not YScalar value || RuleHelpers.IsPlaceholder(value.Value))
                    {
                        continue;
                    }

                    if (RuleHelpers.IsSecretLikeName(name))
                    {
                        findings.Report(w.Object, value, $"{c.Describe} sets '{name}' to a literal value; read it from a Secret");
                    }
                    else if (RuleHelpers.LooksLikeSecretValue(value.Value))
                    {
                        findings.Report(w.Object, value, $"{c.Describe} env '{name}' holds what looks like a credential");
                    }
                }
            }
        }
    }
}
