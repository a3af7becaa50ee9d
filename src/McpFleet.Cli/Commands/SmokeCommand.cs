using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Kubernetes;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet smoke &lt;fleet-dir&gt;</c>: for each server, through the API server's service proxy, <c>GET /ready</c>,
/// MCP <c>initialize</c> and <c>tools/list</c>, and the tool count against the ConfigMap. Exits 3 on any mismatch.
/// </summary>
internal sealed class SmokeCommand : Command
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<string?> _kubeconfig = FleetOperations.KubeconfigOption();
    private readonly Option<string?> _kubeContext = FleetOperations.ContextOption();
    private readonly Option<string> _format = FormatOption.Create("Output format: table or json.", "table", "json");
    private readonly Option<int?> _phase = new("--phase") { Description = "Check only this phase (1-based)." };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public SmokeCommand(CliContext context)
        : base("smoke", "Check every server through the API server's service proxy: /ready, MCP tools/list, and the tool count of its config.")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_kubeconfig);
        Options.Add(_kubeContext);
        Options.Add(_format);
        Options.Add(_phase);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var rendered = FleetOperations.Load(_context, parse.GetValue(_fleet)!);
        if (rendered is null)
        {
            return ExitCodes.InvalidInput;
        }

        var manifest = FleetPlans.ToManifest(rendered);
        var phase = parse.GetValue(_phase);
        if (phase is { } n && manifest.Phases.All(p => p.Number != n))
        {
            FleetOperations.Fail(_context, $"--phase {n}: the fleet has phases 1 to {manifest.Phases.Count}.");
            return ExitCodes.InvalidInput;
        }

        using var cluster = FleetOperations.Connect(_context, parse.GetValue(_kubeconfig), parse.GetValue(_kubeContext));
        if (cluster is null)
        {
            return ExitCodes.InvalidInput;
        }

        IReadOnlyList<SmokeResult> results;
        try
        {
            var servers = manifest.Phases.Where(p => phase is null || p.Number == phase).SelectMany(p => p.Servers);
            results = await new FleetSmoke(cluster).CheckAsync(manifest.Namespace, servers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FleetOperations.IsClusterError(e))
        {
            FleetOperations.Fail(_context, $"the cluster failed: {FleetOperations.Describe(e)}");
            return ExitCodes.OperationFailed;
        }

        var writer = _context.Out.Profile.Out.Writer;
        if (parse.GetValue(_format) == "json")
        {
            // A JSON tree, not an anonymous type: no reflection, so the Native AOT build writes the same JSON.
            var array = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["server"] = r.Server, ["ok"] = r.Ok, ["ready"] = r.ReadyStatus, ["toolsListed"] = r.ToolsListed,
                ["toolsExpected"] = r.ToolsExpected, ["error"] = r.Error,
            })]);
            writer.WriteLine(array.ToJsonString(s_json));
        }
        else
        {
            FleetOperations.WriteColumns(writer, ["SERVER", "READY", "TOOLS", "EXPECTED", "RESULT"], results.Select(r => new[]
            {
                r.Server, r.ReadyStatus?.ToString(CultureInfo.InvariantCulture) ?? "-", r.ToolsListed?.ToString(CultureInfo.InvariantCulture) ?? "-",
                r.ToolsExpected?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Ok ? "ok" : r.Describe(),
            }));
        }

        var failed = results.Count(r => !r.Ok);
        FleetOperations.Line(_context, failed == 0 ? $"{results.Count} servers ok" : $"{failed} of {results.Count} servers failed the smoke check");
        return failed == 0 ? ExitCodes.Success : ExitCodes.OperationFailed;
    }
}
