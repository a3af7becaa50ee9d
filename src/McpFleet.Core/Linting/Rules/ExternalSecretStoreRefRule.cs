using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ExternalSecretStoreRefRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP061", "es-store-ref", DiagnosticSeverity.Error,
        "An ExternalSecret names its store (secretStoreRef.name, kind SecretStore or ClusterSecretStore) and states refreshInterval (warning).",
        "Without a store the operator cannot fetch anything; an unstated refreshInterval silently means 1h, so a rotated key takes up to an hour to arrive.",
        $"Set `secretStoreRef: {{name: {FleetDefaults.SecretStore.Name}, kind: {FleetDefaults.SecretStore.Kind}}}` and `refreshInterval: {FleetDefaults.RefreshInterval}` (or what rotation needs).",
        ChecklistItem.ExternalSecrets,
        "ESO CRD schema (via KC)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var es in context.OfKind("ExternalSecret"))
        {
            var spec = es.Spec;
            var storeRef = spec?.Map("secretStoreRef");
            var everySourced = spec?.Seq("data")?.Maps.All(d => d["sourceRef"] is not null) == true
                && spec.Maps("dataFrom").All(d => d["sourceRef"] is not null);
            if (storeRef?.Str("name") is not { Length: > 0 } && !everySourced)
            {
                findings.Report(es, (YNode?)storeRef ?? es.Root.KeyNode("spec"), "secretStoreRef.name is not set");
            }

            if (storeRef?["kind"] is YScalar kind && kind.Value is not ("SecretStore" or "ClusterSecretStore"))
            {
                findings.Report(es, kind, $"secretStoreRef.kind '{kind.Value}' is neither SecretStore nor ClusterSecretStore");
            }

            if (spec?["refreshInterval"] is null)
            {
                findings.Report(es, es.Root.KeyNode("spec"), "refreshInterval is not stated (the operator defaults to 1h)", DiagnosticSeverity.Warning);
            }
        }
    }
}
