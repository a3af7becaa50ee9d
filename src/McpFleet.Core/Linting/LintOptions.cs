using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Linting;

/// <summary>Options of a lint run (from <c>.mcpfleet-lint.yaml</c> and the command line).</summary>
public sealed record LintOptions
{
    /// <summary>Gets the lowest allowed MCP port (the document's, <see cref="FleetDefaults.Ports"/>).</summary>
    public int McpPortMin { get; init; } = FleetDefaults.Ports.Min;

    /// <summary>Gets the highest allowed MCP port (the document's, <see cref="FleetDefaults.Ports"/>).</summary>
    public int McpPortMax { get; init; } = FleetDefaults.Ports.Max;

    /// <summary>Gets the configured severity per rule id; <see langword="null"/> disables the rule.</summary>
    public IReadOnlyDictionary<string, DiagnosticSeverity?> Severities { get; init; } = new Dictionary<string, DiagnosticSeverity?>();

    /// <summary>
    /// Gets the probe paths of the servers that declare their own (<c>probes.healthPath</c>, <c>probes.readyPath</c>),
    /// keyed by workload name (<c>mcp-&lt;server&gt;</c>); any other MCP workload is held to
    /// <see cref="RuntimeContract.HealthPath"/> and <see cref="RuntimeContract.ReadyPath"/>.
    /// </summary>
    public IReadOnlyDictionary<string, McpProbePaths> ProbePaths { get; init; } = new Dictionary<string, McpProbePaths>();

    /// <summary>
    /// Gets the workload names (<c>mcp-&lt;server&gt;</c>) of the servers whose spec says <c>transport: stdio</c>, which must
    /// run under exactly one <c>mcpfleet-proxy</c>; without a fleet, a stdio server is known by its command.
    /// </summary>
    public IReadOnlySet<string> StdioServers { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>What <c>lint --fleet</c> knows from the fleet spec: its MCP port range, its servers' probe paths and its stdio servers.</summary>
    /// <param name="fleet">The resolved fleet.</param>
    /// <returns>These options with the fleet's settings.</returns>
    public LintOptions WithFleet(ResolvedFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        return this with
        {
            McpPortMin = fleet.Ports.Min,
            McpPortMax = fleet.Ports.Max,
            ProbePaths = fleet.Servers
                .Where(s => s.Spec.Probes is { HealthPath: not null } or { ReadyPath: not null })
                .ToDictionary(s => s.ObjectName, s => new McpProbePaths(fleet.Namespace, s.HealthPath, s.ReadyPath), StringComparer.Ordinal),
            StdioServers = fleet.Servers.Where(s => s.Spec.Transport == ServerTransport.Stdio).Select(s => s.ObjectName).ToHashSet(StringComparer.Ordinal),
        };
    }
}

/// <summary>The probe paths one server serves, from its fleet spec.</summary>
/// <param name="Namespace">The fleet's namespace: a workload of the same name elsewhere is another server.</param>
/// <param name="Health">The liveness and startup path.</param>
/// <param name="Ready">The readiness path.</param>
public sealed record McpProbePaths(string Namespace, string Health, string Ready);
