using McpFleet.Local.State;
using McpFleet.Local.Supervision;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Local;

/// <summary>
/// <c>mcpfleet up --local</c>: starts the fleet's servers as processes, phase by phase, each with the env and config file
/// the renderer would give it and local URLs for its dependencies; waits for <c>/ready</c> after each phase; restarts a
/// server that exits or fails <c>/health</c>; on cancellation drains every server in reverse phase order.
/// </summary>
/// <param name="timeProvider">The clock of every wait.</param>
/// <param name="progress">Progress sink.</param>
public sealed class LocalFleetRunner(TimeProvider timeProvider, ILocalProgress progress)
{
    /// <summary>McpFleet.Hosting's <c>BindAddress</c> option, through .NET configuration's environment provider.</summary>
    private const string BindAddressVariable = "McpFleet__BindAddress";

    private readonly Lock _stateLock = new();

    /// <summary>Runs <paramref name="plan"/> until <paramref name="cancellationToken"/> fires or a phase fails to become ready.</summary>
    /// <param name="plan">The servers to run.</param>
    /// <param name="options">Timings and port policy.</param>
    /// <param name="cancellationToken">Ctrl-C or SIGTERM: drain and return.</param>
    /// <returns>The result, after every process has exited.</returns>
    public async Task<LocalRunResult> RunAsync(LocalFleetPlan plan, LocalRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var files = new LocalRunFiles(options.StateFile ?? LocalState.DefaultPath(plan.FleetDirectory));
        try
        {
            PrivateDirectory.Ensure(files.Directory);
        }
        catch (IOException e)
        {
            return new(false, e.Message);
        }

        using var runLock = await LocalRunLock.TryAcquireAsync(files.LockFile, timeProvider, cancellationToken).ConfigureAwait(false);
        if (runLock is null)
        {
            var pid = LocalState.ReadAny(files.StateFile)?.Pid;
            return new(false, pid is { } p
                ? $"'mcpfleet up --local' is already running this fleet (pid {p}); stop it first (Ctrl-C there, or kill {p})."
                : "'mcpfleet up --local' is already running this fleet (it is starting); stop it first.");
        }

        // The lock was free, so whatever an earlier up of this fleet left is stale: it was killed or force-stopped.
        if (LocalState.ReadAny(files.StateFile) is { } stale)
        {
            progress.Note($"removed what an earlier 'mcpfleet up --local' (pid {stale.Pid}) left behind; it did not exit cleanly");
        }

        files.DeleteRunFiles();
        if (files.SweepOthers() is var swept and > 0)
        {
            progress.Note($"removed what killed runs of {swept} other fleet{(swept == 1 ? "" : "s")} left behind");
        }

        try
        {
            return await RunLockedAsync(plan, options, files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            files.DeleteRunFiles();
        }
    }

    private async Task<LocalRunResult> RunLockedAsync(LocalFleetPlan plan, LocalRunOptions options, LocalRunFiles files, CancellationToken cancellationToken)
    {
        var stateFile = files.StateFile;
        var temp = Directory.CreateDirectory(files.RunDirectory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(RuntimeContract.Probes.TimeoutSeconds * 2) };
        var ports = plan.Servers.ToDictionary(s => s.Name, s => options.AnyPort ? FreePorts.Next() : s.Port, StringComparer.Ordinal);
        var started = new List<(LocalPhasePlan Phase, List<LocalServerSupervisor> Servers)>();
        var all = new List<LocalServerSupervisor>();
        void WriteState()
        {
            lock (_stateLock)
            {
                new LocalState(plan.FleetName, plan.FleetDirectory, System.Environment.ProcessId, all.Select(s => s.Snapshot()).ToList()).Write(stateFile);
            }
        }

        var context = new SupervisorContext(options, timeProvider, http, progress, WriteState);

        LocalRunResult result = new(true, null);
        try
        {
            async Task<string?> StartPhaseAsync(LocalPhasePlan phase)
            {
                var servers = new List<LocalServerSupervisor>();
                foreach (var server in phase.Servers)
                {
                    var env = BuildEnvironment(server, ports, Path.Combine(temp.FullName, server.Name), options.BindAddress, out var metricsPort);
                    var workingDirectory = Path.GetFullPath(server.Run.WorkingDirectory ?? ".", plan.FleetDirectory);
                    var supervisor = new LocalServerSupervisor(new ServerLaunch(phase, server, workingDirectory, env, ports[server.Name], metricsPort), context);
                    servers.Add(supervisor);
                    lock (_stateLock)
                    {
                        all.Add(supervisor);
                    }
                }

                started.Add((phase, servers));
                foreach (var supervisor in servers)
                {
                    supervisor.Start();
                }

                var failures = await Task.WhenAll(servers.Select(s => s.WaitReadyAsync(options.ReadyTimeout, cancellationToken))).ConfigureAwait(false);
                var notReady = phase.Servers.Zip(failures).Where(f => f.Second is not null).Select(f => $"{f.First.Name} {f.Second}").ToList();
                if (notReady.Count > 0)
                {
                    return $"phase {phase.Number} ({phase.Name}): {string.Join("; ", notReady)}";
                }

                foreach (var server in phase.Servers)
                {
                    progress.ServerEvent(server.Name, "ready");
                }

                progress.PhaseReady(phase);
                return null;
            }

            foreach (var phase in plan.Phases)
            {
                if (await StartPhaseAsync(phase).ConfigureAwait(false) is { } error)
                {
                    result = new(false, error);
                    return result;
                }
            }

            // The gateway last, once every server it fronts answers: it is one more step of the rollout, and stops first.
            if (plan.Gateway is { } gateway)
            {
                var gatewayPhase = GatewayPhase(gateway, ports, temp.FullName, options.AnyPort);
                if (await StartPhaseAsync(gatewayPhase).ConfigureAwait(false) is { } error)
                {
                    result = new(false, error);
                    return result;
                }

                progress.GatewayReady($"http://127.0.0.1:{ports[FleetDefaults.GatewayName]}{RuntimeContract.McpPath}");
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return result;
        }
        finally
        {
            // Reverse phase order: a phase's callers stop before the servers they depend on.
            for (var i = started.Count - 1; i >= 0; i--)
            {
                await Task.WhenAll(started[i].Servers.Select(s => s.StopAsync())).ConfigureAwait(false);
            }

            foreach (var supervisor in all)
            {
                await supervisor.DisposeAsync().ConfigureAwait(false);
            }

            lock (_stateLock)
            {
                File.Delete(stateFile);
            }
        }
    }

    /// <summary>The gateway as a phase of one process, its config (loopback URLs of the local servers) in the private run directory.</summary>
    private static LocalPhasePlan GatewayPhase(LocalGatewayPlan gateway, Dictionary<string, int> ports, string runDirectory, bool anyPort)
    {
        var name = FleetDefaults.GatewayName;
        var port = anyPort ? FreePorts.Next() : gateway.Gateway.Port;
        ports[name] = port;
        var directory = Directory.CreateDirectory(Path.Combine(runDirectory, name)).FullName;
        var configPath = Path.Combine(directory, GatewayConfigJson.FileName);
        File.WriteAllText(configPath, gateway.ConfigJson(ports));
        var serverConfig = ServerConfigJson.Build(new ServerSpec { Name = name, Port = port, Version = FleetDefaults.Version });
        var server = new LocalServerPlan(name, FleetDefaults.Version, port, new LocalRunSpec(gateway.Command, ["--config", configPath]), [], [], serverConfig);
        return new LocalPhasePlan(gateway.Gateway.Phase, name, [server]);
    }

    private static Dictionary<string, string?> BuildEnvironment(
        LocalServerPlan server, Dictionary<string, int> ports, string configDirectory, string bindAddress, out int metricsPort)
    {
        Directory.CreateDirectory(configDirectory);
        var configPath = Path.Combine(configDirectory, RuntimeContract.ConfigFileName);
        File.WriteAllText(configPath, server.ConfigJson);
        metricsPort = FreePorts.Next();
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // An inherited ASPNETCORE_URLS would make every server bind the same address; SERVER_PORT decides instead.
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
        };
        foreach (var (key, value) in server.Environment)
        {
            env[key] = value;
        }

        env[RuntimeContract.EnvironmentVariables.ServerPort] = ports[server.Name].ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[RuntimeContract.EnvironmentVariables.MetricsPort] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[RuntimeContract.EnvironmentVariables.ConfigPath] = configPath;
        env[RuntimeContract.EnvironmentVariables.Namespace] = null;
        env[BindAddressVariable] = bindAddress;
        foreach (var dependency in server.Dependencies)
        {
            env[RuntimeContract.DependencyUrlVariable(dependency)] = $"http://127.0.0.1:{ports[dependency]}{RuntimeContract.McpPath}";
        }

        return env;
    }
}
