using System.CommandLine;
using McpFleet.Local;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet up &lt;fleet-dir&gt; --local</c>: runs the servers that declare <c>run</c> as local processes, phase by
/// phase, until Ctrl-C or SIGTERM, then drains them in reverse phase order. <c>--containers</c> runs the rendered pods
/// in Podman instead (<see cref="ContainerRun"/>).
/// </summary>
internal sealed class UpCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<bool> _local = new("--local") { Description = "Run the servers as processes on this machine (this or --containers; deploy is the cluster verb)." };
    private readonly Option<bool> _containers = new("--containers") { Description = "Run the rendered pods in Podman (docs/containers.md); 'down --containers' removes them." };
    private readonly Option<string?> _envFile = new("--env-file") { Description = "With --containers: KEY=VALUE values for the servers' secrets (the environment wins).", HelpName = "file" };
    private readonly Option<bool> _anyPort = new("--any-port") { Description = "Pick free MCP ports instead of the spec's (to run beside another fleet)." };
    private readonly Option<bool> _quiet = new("--quiet") { Description = "Do not forward the servers' stdout and stderr." };
    private readonly Option<string> _bindAddress = new("--bind-address")
    {
        Description = "The address the servers listen on, as McpFleet__BindAddress (0.0.0.0 for every interface).",
        HelpName = "address",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<int> _gracePeriod = new("--grace-period")
    {
        HelpName = "seconds",
        Description = "Seconds a server may take to exit after SIGTERM before its process group is killed (the pod's terminationGracePeriodSeconds).",
        DefaultValueFactory = _ => RuntimeContract.Shutdown.TerminationGracePeriodSeconds,
    };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public UpCommand(CliContext context)
        : base("up", "Run a fleet on this machine, phase by phase, until Ctrl-C: each server's 'run' command as a process (--local), or its rendered pod in Podman (--containers).")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_local);
        Options.Add(_containers);
        Options.Add(_envFile);
        Options.Add(_anyPort);
        Options.Add(_quiet);
        Options.Add(_gracePeriod);
        Options.Add(_bindAddress);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var containers = parse.GetValue(_containers);
        if (parse.GetValue(_local) == containers)
        {
            _context.Fail(containers
                ? "--local and --containers cannot be used together: choose processes (--local) or Podman pods (--containers)."
                : "up runs fleets on this machine: add --local (processes) or --containers (Podman pods); use 'mcpfleet deploy' for a cluster.");
            return ExitCodes.InvalidInput;
        }

        if (containers)
        {
            return await UpContainersAsync(parse, cancellationToken).ConfigureAwait(false);
        }

        if (parse.GetValue(_envFile) is not null)
        {
            _context.Fail("--env-file applies to --containers: with --local the servers inherit your environment.");
            return ExitCodes.InvalidInput;
        }

        var grace = parse.GetValue(_gracePeriod);
        if (grace < 0)
        {
            _context.Fail($"--grace-period {grace}: give a number of seconds, 0 or more.");
            return ExitCodes.InvalidInput;
        }

        var bindAddress = parse.GetValue(_bindAddress)!;
        if (!System.Net.IPAddress.TryParse(bindAddress, out _))
        {
            _context.Fail($"--bind-address {bindAddress}: give an IP address, e.g. 127.0.0.1, ::1 or 0.0.0.0.");
            return ExitCodes.InvalidInput;
        }

        var directory = parse.GetValue(_fleet)!;
        var rendered = FleetOperations.Load(_context, directory);
        if (rendered is null)
        {
            return ExitCodes.InvalidInput;
        }

        string? gatewayCommand = null;
        if (rendered.Fleet.Gateway is not null)
        {
            gatewayCommand = CompanionProgram.Gateway.Find(out var missing);
            if (gatewayCommand is null)
            {
                _context.Fail($"the fleet has a gateway, but {missing}.");
                return ExitCodes.InvalidInput;
            }
        }

        var plan = LocalFleetPlans.Create(rendered, _context.Resolve(directory), out var skipped, CompanionProgram.Proxy.Find(out _), gatewayCommand);
        foreach (var note in skipped)
        {
            _context.Say("note: " + note);
        }

        if (!plan.Servers.Any())
        {
            _context.Fail("no server declares 'run' in its values; nothing to start.");
            return ExitCodes.InvalidInput;
        }

        var options = new LocalRunOptions { AnyPort = parse.GetValue(_anyPort), GracePeriod = TimeSpan.FromSeconds(grace), BindAddress = bindAddress };
        var progress = new Progress(_context, parse.GetValue(_quiet));
        _context.Say($"starting {plan.Servers.Count()} servers in {plan.Phases.Count} phases{(plan.Gateway is null ? "" : ", then the gateway")}; Ctrl-C stops them");
        var result = await new LocalFleetRunner(_context.TimeProvider, progress).RunAsync(plan, options, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            _context.Fail(result.Error ?? "the fleet did not start");
            return ExitCodes.OperationFailed;
        }

        _context.Say("every server stopped");
        return ExitCodes.Success;
    }

    private async Task<int> UpContainersAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // The pod's own grace period and its network namespace apply in a container.
        foreach (var option in new Option[] { _gracePeriod, _bindAddress, _quiet })
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                _context.Fail($"{option.Name} applies to --local: a pod has its terminationGracePeriodSeconds and its own network, and Podman keeps the logs ('podman logs').");
                return ExitCodes.InvalidInput;
            }
        }

        var envFile = parse.GetValue(_envFile);
        return FleetOperations.Load(_context, parse.GetValue(_fleet)!) is not { } rendered
            ? ExitCodes.InvalidInput
            : await new ContainerRun(_context)
                .UpAsync(rendered, envFile is null ? null : _context.Resolve(envFile), envFile, parse.GetValue(_anyPort), cancellationToken)
                .ConfigureAwait(false);
    }

    private sealed class Progress(CliContext context, bool quiet) : ILocalProgress
    {
        private readonly Lock _lock = new();

        public void ServerEvent(string server, string message) => Write($"{server}: {message}");

        public void Output(string server, string line)
        {
            if (!quiet)
            {
                Write($"[{server}] {line}");
            }
        }

        public void Note(string message) => Write("note: " + message);

        public void PhaseReady(LocalPhasePlan phase) => Write($"phase {phase.Number} {phase.Name}: ready");

        public void GatewayReady(string url) => Write($"gateway: ready at {url}");

        private void Write(string line)
        {
            // Process output arrives on thread-pool threads; one line at a time.
            lock (_lock)
            {
                context.Error.Profile.Out.Writer.WriteLine(line);
            }
        }
    }
}
