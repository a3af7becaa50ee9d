using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class ExternalSecretApiV1Rule : ILintRule
{
    private const string Served = "external-secrets.io/v1";

    public LintRuleInfo Info { get; } = new(
        "MCP060", "es-api-v1", DiagnosticSeverity.Error,
        $"ExternalSecret, SecretStore, ClusterSecretStore and ClusterExternalSecret use apiVersion {Served}.",
        "External Secrets Operator v0.17 stopped serving v1beta1 (external-secrets#4758, #4840): the document's v1beta1 manifest fails to apply on a current operator, and the Secret never appears.",
        $"Change apiVersion to {Served}; the fields the document uses are unchanged.",
        ChecklistItem.ExternalSecrets,
        "ESO issues #4758, #4840");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            if (obj.Kind is "ExternalSecret" or "SecretStore" or "ClusterSecretStore" or "ClusterExternalSecret"
                && obj.ApiVersion.StartsWith("external-secrets.io/", StringComparison.Ordinal) && obj.ApiVersion != Served)
            {
                findings.Report(obj, obj.Root["apiVersion"], $"apiVersion {obj.ApiVersion} is not served by current External Secrets Operator; use {Served}");
            }
        }
    }
}
