using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed partial class ConfigMapNoSecretsRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP050", "configmap-no-secrets", DiagnosticSeverity.Error,
        "ConfigMaps hold no credential-like keys with values, no `key: value` / `KEY=value` credential lines inside files, and no private keys.",
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
                if (value is not YScalar s || RuleHelpers.IsPlaceholder(s.Value))
                {
                    continue;
                }

                if (RuleHelpers.IsSecretLikeName(key.Value))
                {
                    findings.Report(cm, key, $"key '{key.Value}' holds what looks like a credential");
                    continue;
                }

                if (RuleHelpers.LooksLikeSecretValue(s.Value) || s.Value.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    findings.Report(cm, key, $"key '{key.Value}' holds private key or token material");
                    continue;
                }

                foreach (Match m in EmbeddedAssignment().Matches(s.Value))
                {
                    var name = m.Groups["name"].Value;
                    if (RuleHelpers.IsSecretLikeName(name) && !RuleHelpers.IsPlaceholder(m.Groups["value"].Value))
                    {
                        findings.Report(cm, key, $"key '{key.Value}' sets '{name}' to a literal credential");
                        break;
                    }
                }
            }
        }
    }

    // A "name": "value", name: value or NAME=value line inside a file-shaped ConfigMap value.
    [GeneratedRegex("""^\s*"?(?<name>[A-Za-z_][A-Za-z0-9_.-]*)"?\s*[:=]\s*"?(?<value>[^\s",{}\[\]]+)""", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddedAssignment();
}
