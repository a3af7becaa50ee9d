using McpFleet.Credentials;
using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class NoSecretLiteralEnvRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP020", "no-secret-literal-env", DiagnosticSeverity.Error,
        "No env var holds a literal credential, by the rule `import compose` uses: a credential word in the name (KEY, TOKEN, SECRET, PASSWORD, PWD, AUTH, COOKIE, SALT, DSN…), or a credential in the value (key formats, JWTs, a URL with user info, `Password=` in a connection string, a bearer token, a private key). Booleans, integers of up to six digits and `$(VAR)` references are never credentials.",
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
                    if (env["value"] is not YScalar value || CredentialClassifier.Classify(name, value.Value) is not { } verdict)
                    {
                        continue;
                    }

                    findings.Report(w.Object, value, verdict.Evidence == CredentialEvidence.Name
                        ? $"{c.Describe} sets '{name}' to a literal value; read it from a Secret"
                        : $"{c.Describe} env '{name}' holds what looks like a credential");
                }
            }
        }
    }
}
