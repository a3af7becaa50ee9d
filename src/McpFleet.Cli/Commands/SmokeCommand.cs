using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Kubernetes;
using McpFleet.Local;
using McpFleet.Local.State;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet smoke &lt;fleet-dir&gt;</c>: for each server, through the API server's service proxy, <c>GET /ready</c>,
/// MCP <c>initialize</c> and <c>tools/list</c>, and the tool count against the ConfigMap. Exits 3 on any mismatch.
/// With <c>--local</c>, the same checks go straight to the servers of a running <c>mcpfleet up --local</c>.
/// </summary>
internal sealed class SmokeCommand : Command
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<string?> _kubeconfig = ClusterConnection.KubeconfigOption();
    private readonly Option<string?> _kubeContext = ClusterConnection.ContextOption();
    private readonly Option<string> _format = FormatOption.Create("Output format: table or json.", "table", "json");
    private readonly Option<int?> _phase = PhaseOption.Create("--phase", "Check only this phase (1-based).");
    private readonly Option<bool> _local = new("--local") { Description = "Check the servers that 'mcpfleet up --local' runs for this fleet." };

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
        Options.Add(_local);
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
            _context.Fail($"--phase {n}: the fleet has phases 1 to {manifest.Phases.Count}.");
            return ExitCodes.InvalidInput;
        }

        IReadOnlyList<SmokeResult> results;
        if (parse.GetValue(_local))
        {
            var local = await CheckLocalAsync(parse.GetValue(_fleet)!, rendered, phase, cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                return ExitCodes.OperationFailed;
            }

            results = local;
        }
        else
        {
            using var cluster = ClusterConnection.Connect(_context, parse.GetValue(_kubeconfig), parse.GetValue(_kubeContext));
            if (cluster is null)
            {
                return ExitCodes.InvalidInput;
            }

            try
            {
                var servers = manifest.Phases.Where(p => phase is null || p.Number == phase).SelectMany(p => p.Servers);
                results = await new FleetSmoke(cluster).CheckAsync(manifest.Namespace, servers, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ClusterErrors.IsClusterError(e))
            {
                _context.Fail($"the cluster failed: {ClusterErrors.Describe(e)}");
                return ExitCodes.OperationFailed;
            }
        }

        var writer = _context.Out.Profile.Out.Writer;
        if (parse.GetValue(_format) == "json")
        {
            // A JSON tree, not an anonymous type: no reflection, so the Native AOT build writes the same JSON.
            var array = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["server"] = r.Server, ["ok"] = r.Ok, ["ready"] = r.ReadyStatus, ["toolsListed"] = r.ToolsListed,
                ["toolsExpected"] = r.ToolsExpected, ["error"] = r.Error, ["note"] = r.Note,
            })]);
            writer.WriteLine(array.ToJsonString(s_json));
        }
        else
        {
            TextColumns.Write(writer, ["SERVER", "READY", "TOOLS", "EXPECTED", "RESULT"], results.Select(r => new[]
            {
                r.Server, r.ReadyStatus?.ToString(CultureInfo.InvariantCulture) ?? "-", r.ToolsListed?.ToString(CultureInfo.InvariantCulture) ?? "-",
                r.ToolsExpected?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Ok && r.Note is null ? "ok" : r.Describe(),
            }));
        }

        var failed = results.Count(r => !r.Ok);
        _context.Say(failed == 0 ? $"{results.Count} servers ok" : $"{failed} of {results.Count} servers failed the smoke check");
        return failed == 0 ? ExitCodes.Success : ExitCodes.OperationFailed;
    }

    /// <summary>
    /// The smoke check of a running <c>up --local</c>: each server's port from its state file, the expected tool count
    /// from the rendered <c>server-config.json</c>; null (after an error line) when none runs.
    /// </summary>
    private async Task<IReadOnlyList<SmokeResult>?> CheckLocalAsync(string directory, McpFleet.Rendering.RenderedFleet rendered, int? phase, CancellationToken cancellationToken)
    {
        var resolved = _context.Resolve(directory);
        LocalState? state;
        try
        {
            state = LocalState.Read(LocalState.DefaultPath(resolved));
        }
        catch (IOException e)
        {
            _context.Fail(e.Message);
            return null;
        }

        if (state is null)
        {
            _context.Fail($"no 'mcpfleet up --local' is running for '{directory}'.");
            return null;
        }

        var plans = LocalFleetPlans.Create(rendered, resolved, out _, CompanionProgram.Proxy.Find(out _)).Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var results = new List<SmokeResult>();
        foreach (var server in state.Servers.Where(s => phase is null || s.Phase == phase))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
            if (server.Server == Spec.FleetDefaults.GatewayName && rendered.Fleet.Gateway is { } gateway)
            {
                // The servers it fronts that run and are ready, as this state file says.
                var ready = state.Servers.Where(s => s.Ready).Select(s => s.Server).ToHashSet(StringComparer.Ordinal);
                var fronts = gateway.Upstreams.Where(u => ready.Contains(u.Server))
                    .Select(u => new GatewayRoute(u.Server, u.Prefix, plans[u.Server].ReadyPath)).ToList();
                results.AddRange(await FleetSmoke.CheckGatewayAsync(
                    server.Server, RuntimeContract.ReadyPath, http.SendAsync, fronts, cancellationToken, bearerToken: Environment.GetEnvironmentVariable(FleetSmoke.GatewayTokenVariable)).ConfigureAwait(false));
                continue;
            }

            var plan = plans.GetValueOrDefault(server.Server);
            results.Add(await FleetSmoke.CheckOneAsync(
                server.Server, plan?.ReadyPath ?? RuntimeContract.ReadyPath, http.SendAsync, plan is null ? null : FleetSmoke.ToolsOf(plan.ConfigJson), cancellationToken).ConfigureAwait(false));
        }

        return results;
    }
}
