using McpFleet.Diagnostics;

namespace McpFleet.Linting.Rules;

internal sealed class LivenessProbeRule : ILintRule
{
    private const int SlowStartSeconds = 10;

    public LintRuleInfo Info { get; } = new(
        "MCP017", "liveness-probe", DiagnosticSeverity.Warning,
        "Serving containers have a livenessProbe that differs from readiness, and a startupProbe instead of a long initialDelaySeconds.",
        "Identical liveness and readiness probes restart a pod that is merely busy or draining; a long initialDelaySeconds delays every restart, while a startupProbe waits only as long as the start takes.",
        $"Point liveness at {RuntimeContract.HealthPath} and readiness at {RuntimeContract.ReadyPath}; replace initialDelaySeconds > {SlowStartSeconds} with a startupProbe (period {RuntimeContract.Probes.StartupPeriodSeconds}s × failureThreshold {RuntimeContract.Probes.StartupFailureThreshold}).",
        ChecklistItem.HealthEndpoints,
        "KL no-liveness-probe, PO livenessProbeMissing, KS pod-probes-identical, CK CKV_K8S_8");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads.Where(RuleHelpers.IsLongRunning))
        {
            foreach (var c in RuleHelpers.ServingContainers(w))
            {
                if (c.Node.Map("livenessProbe") is not { } liveness)
                {
                    findings.Report(w.Object, c.Node["name"], $"{c.Describe} has no livenessProbe");
                    continue;
                }

                if (c.Node.Map("readinessProbe") is { } readiness && RuleHelpers.Canonical(liveness) == RuleHelpers.Canonical(readiness))
                {
                    findings.Report(w.Object, liveness, $"{c.Describe} livenessProbe is identical to its readinessProbe");
                }

                if (liveness.Number("initialDelaySeconds") is > SlowStartSeconds && c.Node["startupProbe"] is null)
                {
                    findings.Report(w.Object, liveness["initialDelaySeconds"],
                        $"{c.Describe} delays liveness by {liveness.Number("initialDelaySeconds")}s; use a startupProbe for slow starts");
                }
            }
        }
    }
}
