using System.CommandLine;
using McpFleet.Kubernetes;
using McpFleet.Local.State;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet status &lt;fleet-dir&gt;</c>: one table per phase (server, version, image, replicas, HPA, restarts, age),
/// from the cluster or, with <c>--local</c>, from a running <c>mcpfleet up --local</c>. Exits 1 when anything is not ready.
/// </summary>
internal sealed class StatusCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<string?> _kubeconfig = ClusterConnection.KubeconfigOption();
    private readonly Option<string?> _kubeContext = ClusterConnection.ContextOption();
    private readonly Option<string> _format = FormatOption.Create("Output format: table or json.", "table", "json");
    private readonly Option<bool> _local = new("--local") { Description = "Show the servers that 'mcpfleet up --local' runs for this fleet." };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public StatusCommand(CliContext context)
        : base("status", "Show each server's rollout per phase; exit 1 when any server is not ready.")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_kubeconfig);
        Options.Add(_kubeContext);
        Options.Add(_format);
        Options.Add(_local);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var directory = parse.GetValue(_fleet)!;
        var json = parse.GetValue(_format) == "json";
        FleetStatusReport report;
        if (parse.GetValue(_local))
        {
            LocalState? state;
            try
            {
                state = LocalState.Read(LocalState.DefaultPath(_context.Resolve(directory)));
            }
            catch (IOException e)
            {
                _context.Fail(e.Message);
                return ExitCodes.OperationFailed;
            }

            if (state is null)
            {
                _context.Fail($"no 'mcpfleet up --local' is running for '{directory}'.");
                return ExitCodes.Findings;
            }

            report = ToReport(state, _context.TimeProvider.GetUtcNow());
        }
        else
        {
            var rendered = FleetOperations.Load(_context, directory);
            if (rendered is null)
            {
                return ExitCodes.InvalidInput;
            }

            using var cluster = ClusterConnection.Connect(_context, parse.GetValue(_kubeconfig), parse.GetValue(_kubeContext));
            if (cluster is null)
            {
                return ExitCodes.InvalidInput;
            }

            try
            {
                report = await new FleetStatus(cluster, _context.TimeProvider).GetAsync(FleetPlans.ToManifest(rendered), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ClusterErrors.IsClusterError(e))
            {
                _context.Fail($"the cluster failed: {ClusterErrors.Describe(e)}");
                return ExitCodes.OperationFailed;
            }
        }

        StatusReportWriter.Write(_context, report, json);
        return report.AllReady ? ExitCodes.Success : ExitCodes.Findings;
    }

    /// <summary>Turns the state of a running <c>up --local</c> into status rows (desired 1 replica per server).</summary>
    private static FleetStatusReport ToReport(LocalState state, DateTimeOffset now) => new("local", state.Servers.Select(s =>
    {
        var n = s.Pid is null ? 0 : 1;
        var ready = s.Ready ? 1 : 0;
        return new StatusRow(s.Phase, s.PhaseName, s.Server, s.Version, s.Command, 1, n, ready, ready, null, s.Restarts,
            s.StartedAt is { } t ? now - t : null, s.Ready, s.Ready ? "available" : s.State);
    }).ToList());
}
