using System.Globalization;
using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class GracefulShutdownRule : ILintRule
{
    private const int DefaultGraceSeconds = 30;

    public LintRuleInfo Info { get; } = new(
        "MCP029", "graceful-shutdown", DiagnosticSeverity.Warning,
        "An MCP container has a preStop hook, and terminationGracePeriodSeconds ≥ preStop + drain + shutdown timeout + margin.",
        $"Endpoints stop routing to a terminating pod only after a moment; the preStop sleep ({RuntimeContract.Shutdown.PreStopSleepSeconds}s) covers it. Then the server drains ({RuntimeContract.Shutdown.DrainDelaySeconds}s) and finishes in-flight calls and SSE streams ({RuntimeContract.Shutdown.ShutdownTimeoutSeconds}s); a grace period shorter than the sum SIGKILLs calls mid-flight.",
        $"Add `lifecycle: {{preStop: {{sleep: {{seconds: {RuntimeContract.Shutdown.PreStopSleepSeconds}}}}}}}` and `terminationGracePeriodSeconds: {RuntimeContract.Shutdown.TerminationGracePeriodSeconds}`.",
        ChecklistItem.GracefulShutdown,
        "new (the document's Important Notes 2; RuntimeContract.Shutdown)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.McpWorkloads)
        {
            if (w.McpContainer is not { } c)
            {
                continue;
            }

            var preStop = c.Node.Map("lifecycle")?.Map("preStop");
            if (preStop is null)
            {
                findings.Report(w.Object, c.Node["name"], $"{c.Describe} has no preStop hook; in-flight requests are cut while endpoints still route to the pod");
            }

            var preStopSeconds = preStop is null ? 0 : PreStopSeconds(preStop);
            var required = preStopSeconds + RuntimeContract.Shutdown.DrainDelaySeconds + RuntimeContract.Shutdown.ShutdownTimeoutSeconds + RuntimeContract.Shutdown.MarginSeconds;
            var graceNode = w.PodSpec["terminationGracePeriodSeconds"] as YScalar;
            var grace = graceNode?.AsInt() ?? DefaultGraceSeconds;
            if (grace < required)
            {
                findings.Report(w.Object, (YNode?)graceNode ?? w.Object.Root.KeyNode("spec"),
                    $"terminationGracePeriodSeconds is {grace}{(graceNode is null ? " (default)" : "")}, less than preStop {preStopSeconds} + drain {RuntimeContract.Shutdown.DrainDelaySeconds} + shutdown {RuntimeContract.Shutdown.ShutdownTimeoutSeconds} + margin {RuntimeContract.Shutdown.MarginSeconds} = {required}s");
            }
        }
    }

    /// <summary>How long a preStop hook takes: the native sleep action, or <c>sleep N</c> in an exec command.</summary>
    private static long PreStopSeconds(YMap preStop)
    {
        if (preStop.Map("sleep")?.Number("seconds") is { } seconds)
        {
            return seconds;
        }

        var words = preStop.Map("exec")?.Seq("command")?.Strings.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList() ?? [];
        var i = words.IndexOf("sleep");
        return i >= 0 && i + 1 < words.Count && long.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
