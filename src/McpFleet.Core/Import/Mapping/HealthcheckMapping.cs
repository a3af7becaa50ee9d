using System.Globalization;
using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Spec;

namespace McpFleet.Import.Mapping;

/// <summary>
/// <c>healthcheck</c>: an HTTP GET the container makes on itself becomes the probe paths; a long <c>start_period</c>
/// becomes the startup budget.
/// </summary>
internal static partial class HealthcheckMapping
{
    /// <summary>Maps <c>healthcheck</c>; an HTTP path is checked against the MCP port once every field is read.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The <c>healthcheck</c> value.</param>
    public static void Map(ServiceMapping mapping, ComposeNode node)
    {
        var healthcheck = node as ComposeMap;
        if (healthcheck?.Text("disable") is "true" or "True")
        {
            mapping.Report("healthcheck", FieldOutcome.Dropped, "disabled in Compose; the runtime contract's probes apply anyway", node.Location);
            return;
        }

        var test = healthcheck?.Get("test") is { } t ? string.Join(' ', ComposeNode.Scalars(t).Select(w => w.Text)) : "";
        if (HealthcheckUrl().Match(test) is { Success: true } url)
        {
            var path = url.Groups["path"].Value;
            int? port = int.TryParse(url.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
            var row = mapping.NextRow;
            mapping.WhenAllRead(() => Finish(mapping, path, port, node.Location, row));
        }
        else
        {
            mapping.Report("healthcheck", FieldOutcome.Changed, $"not carried over: the healthcheck is not an HTTP GET on the container, and the probes GET {RuntimeContract.HealthPath} (startup, liveness) and {RuntimeContract.ReadyPath} (readiness) on the MCP port; the server must serve them, or set probes.healthPath and probes.readyPath to paths it serves", node.Location, true);
        }

        var startPeriod = healthcheck?.Get("start_period") as ComposeScalar;
        if (startPeriod is not null && ComposeUnits.TryDurationSeconds(startPeriod.Text, out var seconds))
        {
            var budget = RuntimeContract.Probes.StartupPeriodSeconds * RuntimeContract.Probes.StartupFailureThreshold;
            if (seconds > budget)
            {
                var threshold = (seconds + RuntimeContract.Probes.StartupPeriodSeconds - 1) / RuntimeContract.Probes.StartupPeriodSeconds;
                mapping.Draft.Probes = (mapping.Draft.Probes ?? new ProbeOverrides()) with { StartupFailureThreshold = threshold };
                mapping.Report("healthcheck.start_period", FieldOutcome.Changed, $"{seconds}s to start: probes.startupFailureThreshold {threshold} (× {RuntimeContract.Probes.StartupPeriodSeconds}s)", startPeriod.Location);
            }
            else
            {
                mapping.Report("healthcheck.start_period", FieldOutcome.Dropped, $"{seconds}s fits the startup probe's {budget}s", startPeriod.Location);
            }
        }
    }

    /// <summary>
    /// Carries an HTTP healthcheck over to the probes: the contract's paths when it GETs them, else its path as
    /// <c>probes.healthPath</c> and <c>probes.readyPath</c> (third-party servers serve <c>/healthz</c> and the like).
    /// </summary>
    private static void Finish(ServiceMapping mapping, string path, int? port, SourceLocation location, int row)
    {
        var mcpPort = mapping.Ports.Count > 0 ? PortMapping.ChooseMcpPort(mapping).Port.Port : (int?)null;
        var otherPort = port is { } p && mcpPort is { } mcp && p != mcp
            ? $"; it checks port {p}, the probes check the MCP port: make the server answer there"
            : "";
        if (path == RuntimeContract.HealthPath)
        {
            mapping.Defer(row, new ReportEntry("healthcheck", FieldOutcome.Changed, $"GET {path}: the contract's probes (startup and liveness GET {RuntimeContract.HealthPath}, readiness GET {RuntimeContract.ReadyPath} on the MCP port), which the server must serve{otherPort}", location, otherPort.Length > 0));
            return;
        }

        mapping.Draft.Probes = (mapping.Draft.Probes ?? new ProbeOverrides()) with { HealthPath = path, ReadyPath = path };
        mapping.Defer(row, new ReportEntry("healthcheck", FieldOutcome.Changed, $"GET {path}: probes.healthPath and probes.readyPath (startup, liveness and readiness GET {path} on the MCP port instead of {RuntimeContract.HealthPath} and {RuntimeContract.ReadyPath}){otherPort}", location, otherPort.Length > 0));
    }

    // A GET the container makes on itself: http://localhost:9000/healthz, http://127.0.0.1/ready, http://0.0.0.0:8080/.
    [GeneratedRegex(@"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(?<port>[0-9]{1,5}))?(?<path>/[^\s""'|;&]*)")]
    private static partial Regex HealthcheckUrl();
}
