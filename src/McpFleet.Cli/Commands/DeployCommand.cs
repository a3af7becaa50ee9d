using System.CommandLine;
using McpFleet.Kubernetes;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet deploy &lt;fleet-dir&gt;</c>: server-side applies the fleet phase by phase, waits for each phase to be
/// Available, optionally smoke-checks it, stops at the first failing phase with a report, and optionally prunes.
/// </summary>
internal sealed class DeployCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<string?> _kubeconfig = ClusterConnection.KubeconfigOption();
    private readonly Option<string?> _kubeContext = ClusterConnection.ContextOption();
    private readonly Option<int?> _phase = PhaseOption.Create("--phase", "Deploy only this phase (1-based).");
    private readonly Option<int?> _fromPhase = PhaseOption.Create("--from-phase", "Deploy this phase and every later one (1-based).");
    private readonly Option<string?> _dryRun = new("--dry-run") { Description = "Send every write with dryRun=All: the API server validates and admits it but stores nothing. The only value is server." };
    private readonly Option<string> _timeout = new("--timeout") { Description = "Wait at most this long for each phase to become Available (e.g. 90s, 5m, 1h).", DefaultValueFactory = _ => "5m" };
    private readonly Option<bool> _prune = new("--prune") { Description = "Delete objects of this fleet (managed-by mcpfleet, part-of the fleet) that the spec no longer has." };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Prune without asking." };
    private readonly Option<bool> _smoke = new("--smoke") { Description = "Smoke-check each phase once it is Available (see 'smoke')." };
    private readonly Option<bool> _forceConflicts = new("--force-conflicts") { Description = "Take over fields that another field manager owns." };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public DeployCommand(CliContext context)
        : base("deploy", "Apply a fleet to the cluster phase by phase (server-side apply), waiting for each phase to be Available.")
    {
        _context = context;
        _dryRun.AcceptOnlyFromAmong("server");
        Arguments.Add(_fleet);
        foreach (var option in new Option[] { _kubeconfig, _kubeContext, _phase, _fromPhase, _dryRun, _timeout, _prune, _yes, _smoke, _forceConflicts })
        {
            Options.Add(option);
        }

        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var phase = parse.GetValue(_phase);
        var fromPhase = parse.GetValue(_fromPhase);
        var prune = parse.GetValue(_prune);
        var yes = parse.GetValue(_yes);
        if (phase is not null && fromPhase is not null)
        {
            _context.Fail("--phase and --from-phase cannot be used together.");
            return ExitCodes.InvalidInput;
        }

        if (!Durations.TryParse(parse.GetValue(_timeout), allowSeconds: true, out var timeout) || timeout <= TimeSpan.Zero)
        {
            _context.Fail($"--timeout '{parse.GetValue(_timeout)}': expected a duration such as 90s, 5m or 1h30m.");
            return ExitCodes.InvalidInput;
        }

        var interactive = Interactive();
        if (prune && !yes && !interactive)
        {
            _context.Fail("--prune deletes objects and asks first, but input is not a terminal: add --yes to prune without asking.");
            return ExitCodes.InvalidInput;
        }

        var rendered = FleetOperations.Load(_context, parse.GetValue(_fleet)!);
        if (rendered is null)
        {
            return ExitCodes.InvalidInput;
        }

        var manifest = FleetPlans.ToManifest(rendered);
        var selected = phase ?? fromPhase;
        if (selected is { } n && manifest.Phases.All(p => p.Number != n))
        {
            _context.Fail($"{(phase is null ? "--from-phase" : "--phase")} {n}: the fleet has phases 1 to {manifest.Phases.Count}.");
            return ExitCodes.InvalidInput;
        }

        using var cluster = ClusterConnection.Connect(_context, parse.GetValue(_kubeconfig), parse.GetValue(_kubeContext));
        if (cluster is null)
        {
            return ExitCodes.InvalidInput;
        }

        var dryRun = parse.GetValue(_dryRun) is not null;
        var options = new DeployOptions
        {
            Phase = phase,
            FromPhase = fromPhase,
            DryRun = dryRun,
            ForceConflicts = parse.GetValue(_forceConflicts),
            Timeout = timeout,
            Smoke = parse.GetValue(_smoke),
        };
        var deployer = new FleetDeployer(cluster, _context.TimeProvider, new FleetSmoke(cluster));
        DeployResult result;
        try
        {
            result = interactive && _context.Error.Profile.Capabilities.Ansi
                ? await _context.Error.Status().Spinner(Spinner.Known.Dots).StartAsync(
                    "connecting", status => deployer.DeployAsync(manifest, options, new DeployProgress(_context, status), cancellationToken)).ConfigureAwait(false)
                : await deployer.DeployAsync(manifest, options, new DeployProgress(_context, null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ClusterErrors.IsClusterError(e))
        {
            _context.Fail($"the cluster failed: {ClusterErrors.Describe(e)}");
            return ExitCodes.OperationFailed;
        }

        if (result.Failure is { } failure)
        {
            WriteFailure(failure);
            return ExitCodes.OperationFailed;
        }

        var declined = false;
        if (prune)
        {
            // Outside the spinner: a prompt cannot run while Spectre renders a live display.
            try
            {
                var candidates = await deployer.FindPruneCandidatesAsync(manifest, cancellationToken).ConfigureAwait(false);
                declined = candidates.Count > 0 && !ConfirmPrune(candidates, yes, dryRun);
                if (!declined)
                {
                    await deployer.PruneAsync(candidates, dryRun, cancellationToken).ConfigureAwait(false);
                    foreach (var obj in candidates)
                    {
                        _context.Say($"{(dryRun ? "would delete" : "deleted")} {obj}");
                    }
                }
            }
            catch (Exception e) when (ClusterErrors.IsClusterError(e))
            {
                _context.Fail($"prune failed: {ClusterErrors.Describe(e)}");
                return ExitCodes.OperationFailed;
            }
        }

        var phases = string.Join(", ", result.CompletedPhases);
        _context.Say(dryRun
            ? $"dry run (server): phases {phases} accepted by the API server; nothing was stored"
            : $"deployed phases {phases} to namespace {manifest.Namespace}{(declined ? "; prune declined, nothing deleted" : "")}");
        return ExitCodes.Success;
    }

    private bool Interactive() => !Console.IsInputRedirected && _context.Error.Profile.Capabilities.Interactive;

    private bool ConfirmPrune(IReadOnlyList<ObjectRef> objects, bool yes, bool dryRun)
    {
        _context.Say($"prune: {objects.Count} objects of this fleet are no longer in the spec:");
        foreach (var obj in objects)
        {
            _context.Say($"  {obj}");
        }

        return yes || dryRun || _context.Error.Confirm($"Delete these {objects.Count} objects?", defaultValue: false);
    }

    private void WriteFailure(PhaseFailure failure)
    {
        // Events and log lines come from the cluster and the pods: Say escapes what they hold.
        _context.Fail($"phase {failure.Phase} ({failure.PhaseName}) failed: {failure.Reason}");
        foreach (var server in failure.Servers)
        {
            _context.Say($"  server {server.Server} (Deployment {server.Deployment}): {server.State}");
            foreach (var e in server.Events)
            {
                _context.Say($"    event: {e}");
            }

            foreach (var pod in server.Pods)
            {
                _context.Say($"    pod {pod.Name}: {pod.Status}, {pod.Restarts} restarts");
                foreach (var e in pod.Events)
                {
                    _context.Say($"      event: {e}");
                }

                if (pod.LogTail.Count > 0)
                {
                    _context.Say("      last log lines:");
                    foreach (var line in pod.LogTail)
                    {
                        _context.Say($"        {line}");
                    }
                }
            }

            if (server.Pods.Count == 0 && !server.State.StartsWith("smoke", StringComparison.Ordinal))
            {
                _context.Say("    no pods (see the events above: quota, pod security or scheduling)");
            }
        }

        _context.Say("Later phases were not applied. Fix the cause and run deploy again (it is idempotent).");
    }

    /// <summary>Plain lines when not a terminal; a spinner line plus milestones on one.</summary>
    private sealed class DeployProgress(CliContext context, StatusContext? status) : IDeployProgress
    {
        private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

        public void PhaseStarted(PhaseManifest phase) =>
            Say($"phase {phase.Number} {phase.Name}: applying {phase.Servers.Count} servers", $"phase {phase.Number} {phase.Name}: applying");

        public void ServerApplied(PhaseManifest phase, ServerManifest server) =>
            Say($"  applied {server.Name} ({server.Objects.Count} objects)", $"phase {phase.Number} {phase.Name}: applied {server.Name}");

        public void Waiting(PhaseManifest phase, string server, RolloutState state)
        {
            if (_last.TryGetValue(server, out var last) && last == state.Reason)
            {
                return;
            }

            _last[server] = state.Reason;
            Say($"  {server}: {state.Reason}", $"phase {phase.Number} {phase.Name}: waiting for {server} ({state.Reason})");
        }

        public void PhaseCompleted(PhaseManifest phase) => Say($"phase {phase.Number} {phase.Name}: available", null);

        private void Say(string line, string? spinner)
        {
            if (status is null)
            {
                context.Say(line);
                return;
            }

            if (spinner is null)
            {
                context.Error.MarkupLineInterpolated($"[green]✓[/] {TerminalText.Escape(line)}");
            }
            else
            {
                status.Status(Markup.Escape(TerminalText.Escape(spinner)));
            }
        }
    }
}
