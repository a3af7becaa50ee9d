using System.Text;
using McpFleet.Diagnostics;

namespace McpFleet.Linting;

/// <summary>Generates <c>docs/lint-rules.md</c> from the rules' metadata, so the page cannot drift from the code.</summary>
public static class LintRulesDocument
{
    private static readonly (ChecklistItem Item, string Text, string? Runtime)[] s_checklist =
    [
        (ChecklistItem.ImagePushed, "Docker image pushed to scoobyjava15 registry",
            "Partly static: the rules pin the tag. Whether the image exists in the registry only a pull can prove: `mcpfleet deploy` waits for the rollout (ImagePullBackOff fails it) and `mcpfleet smoke` finds no ready pod."),
        (ChecklistItem.HealthEndpoints, "Health and ready endpoints implemented",
            "The rules prove the probes are wired to /health and /ready (with `--fleet`, to a server's own `probes.healthPath`/`probes.readyPath`). That the server answers /ready is checked by `mcpfleet smoke` on a cluster; that McpFleet.Hosting serves both is covered by its library tests."),
        (ChecklistItem.Resources, "Resource requests/limits defined", null),
        (ChecklistItem.ExternalSecrets, "External secrets configured", null),
        (ChecklistItem.NetworkPolicies, "Network policies applied", null),
        (ChecklistItem.Hpa, "HPA configured (if applicable)", null),
        (ChecklistItem.LoggingToStdout, "Logging to stdout",
            "Not statically checkable (a manifest cannot show where a process logs). Covered at runtime by the Hosting JSON log test (structured JSON on stdout)."),
        (ChecklistItem.GracefulShutdown, "Graceful shutdown handling",
            "The rules prove the manifest gives the process time (preStop, grace period ≥ the RuntimeContract.Shutdown sum). That the process drains on SIGTERM is code: covered by the Hosting drain-under-load test."),
        (ChecklistItem.InterMcpCommunication, "Inter-MCP communication tested",
            "The rules prove Services select pods, ports resolve and policies admit them and DNS; an actual call between servers is `mcpfleet smoke` (tools/list through each Service)."),
        (ChecklistItem.Metrics, "Monitoring/metrics exposed",
            "The rules prove a metrics port is declared and annotated. That /metrics serves Prometheus text is covered by the Hosting library tests (`Metrics_ExpositionParses_HasPerMethodAndToolSeriesAndContractInstruments`) for servers built on McpFleet.Hosting; `mcpfleet smoke` does not scrape it, so for other servers nothing checks it."),
    ];

    /// <summary>Renders the Markdown page.</summary>
    /// <returns>The page.</returns>
    public static string Generate()
    {
        var rules = Linter.Rules;
        var sb = new StringBuilder();
        sb.Append("""
            # Lint rules

            <!-- Generated from the rules' metadata by LintRulesDocument. Do not edit: run the Core tests with MCPFLEET_UPDATE_GOLDEN=1. -->

            `mcpfleet lint <file|dir|->… [--fleet DIR] [--format text|json|sarif] [--fail-on error|warning|info] [--config F]`
            lints any Kubernetes YAML (mcpfleet output, Helm output, kompose output, hand-written manifests) as one bundle, so
            cross-object rules (Service → Deployment, HPA → target, ExternalSecret → consumer, NetworkPolicy → pods) see every object.
            The MCP-specific rules apply to *MCP pods*: a pod template labelled `tier: mcp`, with a port named `mcp`, the
            `mcpfleet.io/session-mode` annotation, or a workload named `mcp-*`.

            - **Exit codes:** 0 clean; 1 when a finding is at or above `--fail-on` (default `error`); 2 for usage errors
              (unknown option, missing file, invalid config).
            - **Suppress on one object:** `metadata.annotations` `mcpfleet.io/ignore: "MCP020,MCP036"` together with
              `mcpfleet.io/ignore-reason: "<why>"`. Without a reason (or with an unknown id) MCP000 reports it.
            - **Configure:** `.mcpfleet-lint.yaml` in the working directory (or `--config F`):
              `rules: {MCP012: off, MCP022: error}` (off, info, warning, error) and `mcpPorts: {min: 9000, max: 9020}`.
            - **Severity:** a rule has a default severity; some report an advisory part at a lower one (noted in its text),
              which configuration does not raise.


            """);
        sb.Append("| ID | Name | Severity | Checks | Checklist item |\n|---|---|---|---|---|\n");
        foreach (var r in rules)
        {
            sb.Append($"| [{r.Id}](#{r.Id.ToLowerInvariant()}-{r.Name}) | {r.Name} | {Severity(r.DefaultSeverity)} | {Cell(r.Summary)} | {(r.Checklist is { } c ? ChecklistText(c) : "")} |\n");
        }

        sb.Append("\n## Validation Checklist coverage\n\nEach item of the Validation Checklist of the deployment-patterns document, with the rules that check it.\n\n");
        sb.Append("| Checklist item | Rules | Not provable statically / runtime test |\n|---|---|---|\n");
        foreach (var (item, text, runtime) in s_checklist)
        {
            var ids = rules.Where(r => r.Checklist == item).Select(r => r.Id).ToList();
            sb.Append($"| {text} | {(ids.Count == 0 ? "none" : string.Join(", ", ids))} | {runtime ?? "Fully static."} |\n");
        }

        sb.Append("""

            ## Left out or narrowed, and additions

            - **MCP002 schema-valid is narrowed** to the fields the other rules read (replicas, HPA bounds, PDB budgets,
              containers, ports, env, probes, requests and limits, Service ports, label and annotation values), so a
              wrong type there is reported instead of being read as a default. Validating every field against the
              Kubernetes and CRD JSON Schemas needs the OpenAPI documents of the target Kubernetes version and of each
              CRD; they are large, versioned and not shipped with this tool. Run `kubeconform -strict` (or the
              repository's kubernetes-models check in eng/test.sh) next to `mcpfleet lint`; duplicate keys, missing
              apiVersion/kind/name and removed API versions are also caught here (MCP001, MCP003).
            - **MCP011** does not add the catalogue's "digest recommended" info finding: with immutable `v{version}` tags it
              would fire on every container of every compliant fleet.
            - **MCP015** checks CPU limits only; ephemeral-storage limits (opt-in in the anchors) are not checked.
            - **MCP037** leaves hostPath to MCP027, so one mount is reported once.
            - **Additions beyond the catalogue** (MCP-specific; ids in the catalogue's free slots): MCP000 ignore-annotation,
              MCP007 mcp-port-and-tier, MCP008 metrics-port, MCP009 gpu-scheduling, MCP028 mcp-probe-paths,
              MCP029 graceful-shutdown, MCP063 secrets-from-external-secret, MCP074 stateless-when-scaled.

            ## Rules

            """);
        foreach (var r in rules)
        {
            sb.Append($"\n### {r.Id} {r.Name}\n\n");
            sb.Append($"**Severity:** {Severity(r.DefaultSeverity)}");
            if (r.Checklist is { } c)
            {
                sb.Append($" · **Checklist:** {ChecklistText(c)}");
            }

            sb.Append($"\n\n{r.Summary}\n\n**Why:** {r.Rationale}\n\n**Fix:** {r.Fix}\n\n**Anchors:** {r.Anchors}\n");
        }

        return sb.ToString().ReplaceLineEndings("\n");
    }

    private static string ChecklistText(ChecklistItem item) => s_checklist.First(c => c.Item == item).Text;

    private static string Severity(DiagnosticSeverity severity) => LintReportWriter.Name(severity);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
