using System.Text.RegularExpressions;
using McpFleet.Credentials;
using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed partial class ConfigMapNoSecretsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP050", "configmap-no-secrets", DiagnosticSeverity.Error,
        "ConfigMaps hold no credential, by the rule `import compose` and MCP020 use: no key with a credential word and a literal value, no `key: value` / `KEY=value` credential line inside a file, and no value that is or holds a credential (private keys, tokens, a URL with user info). Booleans and small integers are never credentials.",
        "ConfigMaps are readable by anyone who can read the namespace and are stored unencrypted; the document says never to hardcode credentials.",
        "Move the value into the secret store and an ExternalSecret; keep only non-secret configuration in the ConfigMap.",
        ChecklistItem.ExternalSecrets,
        "PO sensitiveConfigmapContent, TV KSV-0109");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var cm in context.OfKind("ConfigMap"))
        {
            foreach (var (key, value) in cm.Root.Map("data")?.Entries ?? [])
            {
                if (value is not YScalar s || CredentialClassifier.IsInert(s.Value))
                {
                    continue;
                }

                var verdict = CredentialClassifier.Classify(key.Value, s.Value);
                if (verdict?.Evidence == CredentialEvidence.Name)
                {
                    findings.Report(cm, key, $"key '{key.Value}' holds what looks like a credential");
                    continue;
                }

                // A file-shaped value: name the credential line when there is one, it is the more useful message.
                var line = EmbeddedAssignment().Matches(s.Value)
                    .FirstOrDefault(m => CredentialClassifier.Classify(m.Groups["name"].Value, m.Groups["value"].Value)?.Evidence == CredentialEvidence.Name);
                if (line is not null)
                {
                    findings.Report(cm, key, $"key '{key.Value}' sets '{line.Groups["name"].Value}' to a literal credential");
                }
                else if (verdict is not null)
                {
                    findings.Report(cm, key, $"key '{key.Value}' holds private key or token material");
                }
            }
        }
    }

    // A "name": "value", name: value or NAME=value line inside a file-shaped ConfigMap value.
    [GeneratedRegex("""^\s*"?(?<name>[A-Za-z_][A-Za-z0-9_.-]*)"?\s*[:=]\s*"?(?<value>[^\s",{}\[\]]+)""", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddedAssignment();
}
