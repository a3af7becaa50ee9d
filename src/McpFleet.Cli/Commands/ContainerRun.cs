using System.Collections;
using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Local.Containers;
using McpFleet.Rendering;

namespace McpFleet.Cli.Commands;

/// <summary>
/// The container side of <c>up --containers</c> and <c>down --containers</c>: the rendered fleet as Podman pods through
/// <see cref="PodmanFleetRunner"/>, with every adaptation printed (docs/containers.md).
/// </summary>
/// <param name="context">Where to report.</param>
internal sealed class ContainerRun(CliContext context)
{
    private readonly PodmanCli _podman = new();

    /// <summary>Gets the fleet network of a namespace, as <see cref="PodmanManifestAdapter"/> names it.</summary>
    /// <param name="ns">The fleet's namespace.</param>
    /// <returns><c>mcpfleet-&lt;namespace&gt;</c>.</returns>
    public static string Network(string ns) => "mcpfleet-" + ns;

    /// <summary>
    /// Starts the fleet phase by phase, prints each server's URL, waits for Ctrl-C or SIGTERM, then stops it in reverse
    /// phase order and removes its pods, volumes and network.
    /// </summary>
    /// <param name="rendered">The rendered fleet.</param>
    /// <param name="envFile">The env file with secret values, resolved, or <see langword="null"/>.</param>
    /// <param name="envFileGiven">The env file as the user gave it, for messages.</param>
    /// <param name="anyPort">Publish on free ports instead of the spec's.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl-C or SIGTERM: the fleet is drained.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> UpAsync(RenderedFleet rendered, string? envFile, string? envFileGiven, bool anyPort, CancellationToken cancellationToken)
    {
        var secrets = ReadSecrets(envFile, envFileGiven);
        if (secrets is null)
        {
            return ExitCodes.InvalidInput;
        }

        var progress = new Progress(context);
        var runner = new PodmanFleetRunner(_podman, progress, context.TimeProvider);
        var ns = rendered.Namespace.Metadata.Name;
        PodmanFleetPlan plan;
        try
        {
            var subnet = await runner.EnsureNetworkAsync(Network(ns), ns, cancellationToken).ConfigureAwait(false);
            var errors = new List<string>();
            plan = PodmanManifestAdapter.Adapt(rendered, new PodmanAdapterOptions { Network = Network(ns), Subnet = subnet, AnyPort = anyPort, Secrets = secrets }, errors);
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    context.Fail(error);
                }

                await runner.DownAsync(ns, Network(ns), CancellationToken.None).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
        }
        catch (PodmanMissingException e)
        {
            context.Fail(e.Message);
            return ExitCodes.OperationFailed;
        }
        catch (InvalidOperationException e)
        {
            context.Fail(e.Message);
            return ExitCodes.OperationFailed;
        }
        catch (OperationCanceledException)
        {
            await runner.DownAsync(ns, Network(ns), CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        foreach (var adaptation in plan.Adaptations)
        {
            context.Say("adapted: " + adaptation);
        }

        foreach (var item in plan.NotApplied)
        {
            context.Say("not applied: " + item);
        }

        context.Say($"starting {plan.Servers.Count()} servers in {plan.Phases.Count} phases in Podman (network {plan.Network}); Ctrl-C stops them");
        var exit = ExitCodes.Success;
        var started = false;
        try
        {
            var start = await runner.StartAsync(plan, cancellationToken).ConfigureAwait(false);
            if (!start.Success)
            {
                context.Fail(start.Error ?? "the fleet did not start");
                exit = ExitCodes.OperationFailed;
            }
            else
            {
                started = true;
                foreach (var server in plan.Servers)
                {
                    context.Say($"{server.Name}: http://127.0.0.1:{server.HostPort}{RuntimeContract.McpPath}");
                }

                context.Say("every server is ready; Ctrl-C or SIGTERM stops the fleet");
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: drain below.
        }

        // The drain runs to its end whatever comes next; a second signal ends the process and leaves the pods to 'down'.
        // A fleet that did not finish starting has pods only for some servers: removing them (SIGTERM, then Podman's
        // stop timeout) is enough, and stopping the others would only report containers that never existed.
        if (started)
        {
            await runner.StopAsync(plan, CancellationToken.None).ConfigureAwait(false);
        }

        await runner.DownAsync(ns, plan.Network, CancellationToken.None).ConfigureAwait(false);
        context.Say(exit == ExitCodes.Success ? "every server stopped; pods, volumes and network removed" : "pods, volumes and network removed");
        return exit;
    }

    /// <summary>Removes every pod, volume and the network of the fleet's namespace; nothing to remove is no error.</summary>
    /// <param name="ns">The fleet's namespace.</param>
    /// <param name="cancellationToken">Cancels the podman calls.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> DownAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await new PodmanFleetRunner(_podman, new Progress(context), context.TimeProvider).DownAsync(ns, Network(ns), cancellationToken).ConfigureAwait(false);
            foreach (var pod in removed)
            {
                context.Say($"removed pod {pod}");
            }

            context.Say(removed.Count == 0 ? $"no pod of namespace {ns} was running; network {Network(ns)} and volumes removed if present" : $"removed {removed.Count} pods, their volumes and network {Network(ns)}");
            return ExitCodes.Success;
        }
        catch (PodmanMissingException e)
        {
            context.Fail(e.Message);
            return ExitCodes.OperationFailed;
        }
    }

    /// <summary>The secret values: the env file's, then the environment's (which wins, as in Compose).</summary>
    private Dictionary<string, string>? ReadSecrets(string? envFile, string? given)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (envFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(envFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Fail($"--env-file {given}: {e.Message}");
                return null;
            }

            var diagnostics = new DiagnosticBag();
            var entries = EnvFileParser.Parse(text, envFile, diagnostics);
            if (diagnostics.HasErrors)
            {
                foreach (var diagnostic in diagnostics.Items)
                {
                    context.Report(diagnostic, given ?? envFile);
                }

                return null;
            }

            foreach (var entry in entries)
            {
                if (entry.Value is not null)
                {
                    values[entry.Name] = entry.Value;
                }
            }
        }

        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            values[(string)variable.Key] = (string?)variable.Value ?? "";
        }

        return values;
    }

    private sealed class Progress(CliContext context) : IContainerProgress
    {
        private readonly Lock _lock = new();

        public void ServerEvent(string server, string message) => Write($"{server}: {message}");

        public void PhaseReady(PodmanPhasePlan phase) => Write($"phase {phase.Number} {phase.Name}: ready");

        private void Write(string line)
        {
            // The servers of a phase are waited for in parallel; one line at a time.
            lock (_lock)
            {
                context.Say(line);
            }
        }
    }
}
