using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Local;

/// <summary>Turns the renderer's output into what the local runner consumes.</summary>
public static class LocalFleetPlans
{
    /// <summary>
    /// The servers that declare a <c>run</c> command, each with the env of its rendered container (literal values only:
    /// <c>POD_NAMESPACE</c> comes from the downward API and secrets from the cluster) and its rendered <c>server-config.json</c>.
    /// </summary>
    /// <param name="rendered">The rendered fleet.</param>
    /// <param name="fleetDirectory">The fleet directory.</param>
    /// <param name="skipped">Servers without <c>run</c>, and dependencies that cannot be reached locally, in words.</param>
    /// <param name="proxyPath">
    /// The <c>mcpfleet-proxy</c> executable (<see cref="CompanionProgram.Proxy"/>): a stdio server runs as
    /// <c>mcpfleet-proxy stdio -- &lt;run.command&gt; &lt;run.args&gt;</c> (its <c>command</c> and <c>args</c> when it has no
    /// <c>run</c>), so it gets the same port, probes and metrics as any server. Without it stdio servers are skipped.
    /// </param>
    /// <param name="gatewayCommand">
    /// The <c>mcpfleet-gateway</c> executable (<see cref="CompanionProgram.Gateway"/>), needed when the fleet has a
    /// gateway; <see langword="null"/> leaves the gateway out.
    /// </param>
    /// <returns>The plan; phases without runnable servers are left out.</returns>
    public static LocalFleetPlan Create(RenderedFleet rendered, string fleetDirectory, out IReadOnlyList<string> skipped, string? proxyPath = null, string? gatewayCommand = null)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var notes = new List<string>();
        var runs = new Dictionary<string, LocalRunSpec>(StringComparer.Ordinal);
        foreach (var server in rendered.Fleet.Servers)
        {
            if (LocalRun(server, proxyPath, out var note) is { } run)
            {
                runs[server.Name] = run;
            }
            else
            {
                notes.Add(note!);
            }
        }

        var runnable = runs.Keys.ToHashSet(StringComparer.Ordinal);
        var phases = new List<LocalPhasePlan>();
        foreach (var phase in rendered.Fleet.Phases)
        {
            var servers = new List<LocalServerPlan>();
            foreach (var server in phase.Servers.Where(s => runnable.Contains(s.Name)))
            {
                var objects = rendered.Servers.First(r => r.Name == server.Name);
                var container = objects.Find<V1Deployment>()?.Spec.Template.Spec.Containers.FirstOrDefault();
                var env = (container?.Env ?? [])
                    .Where(e => e.Value is not null && e.ValueFrom is null
                        && !e.Name.EndsWith(RuntimeContract.EnvironmentVariables.DependencyUrlSuffix, StringComparison.Ordinal))
                    .Select(e => new KeyValuePair<string, string>(e.Name, e.Value))
                    .ToList();
                var data = objects.Find<V1ConfigMap>()?.Data;
                var config = data is not null && data.TryGetValue(RuntimeContract.ConfigFileName, out var json) ? json : "{}";
                var dependencies = new List<string>();
                foreach (var dependency in server.Dependencies)
                {
                    if (runnable.Contains(dependency.Name))
                    {
                        dependencies.Add(dependency.Name);
                    }
                    else
                    {
                        notes.Add($"{server.Name}: depends on {dependency.Name}, which has no 'run'; {dependency.VariableName} is not set");
                    }
                }

                servers.Add(new LocalServerPlan(server.Name, server.Spec.Version, server.Spec.Port, runs[server.Name], env, dependencies, config)
                {
                    HealthPath = server.HealthPath,
                    ReadyPath = server.ReadyPath,
                });
            }

            if (servers.Count > 0)
            {
                phases.Add(new LocalPhasePlan(phase.Number, phase.Name, servers));
            }
        }

        skipped = notes;
        return new LocalFleetPlan(rendered.Fleet.Name, fleetDirectory, phases) { Gateway = Gateway(rendered.Fleet.Gateway, runnable, gatewayCommand, notes) };
    }

    private static LocalGatewayPlan? Gateway(ResolvedGateway? gateway, HashSet<string> runnable, string? command, List<string> notes)
    {
        if (gateway is null)
        {
            return null;
        }

        if (command is null)
        {
            notes.Add("gateway: no mcpfleet-gateway executable given; not started");
            return null;
        }

        var upstreams = gateway.Upstreams.Where(u => runnable.Contains(u.Server)).ToList();
        notes.AddRange(gateway.Upstreams.Where(u => !runnable.Contains(u.Server)).Select(u => $"gateway: fronts {u.Server}, which has no 'run'; left out of its config"));
        if (upstreams.Count == 0)
        {
            notes.Add("gateway: none of the servers it fronts has 'run'; not started");
            return null;
        }

        return new LocalGatewayPlan(command, gateway, upstreams);
    }

    // How the server's process starts: its run, under the proxy for a stdio server; null with a note when it cannot.
    private static LocalRunSpec? LocalRun(ResolvedServer server, string? proxyPath, out string? note)
    {
        note = null;
        var spec = server.Spec;
        if (spec.Transport != ServerTransport.Stdio || server.Proxy is not { } proxy)
        {
            note = spec.Run is null ? $"{server.Name}: no 'run' in its values; not started" : null;
            return spec.Run;
        }

        if (proxyPath is null)
        {
            note = $"{server.Name}: a stdio server runs under mcpfleet-proxy, which was not found ({CompanionProgram.Proxy.EnvironmentVariable}, next to mcpfleet, or on PATH); not started";
            return null;
        }

        // A stdio server's command usually runs on a developer's machine as it is (npx, uvx, a binary on PATH).
        var run = spec.Run ?? new LocalRunSpec(spec.Command![0], [.. spec.Command.Skip(1), .. spec.Args ?? []]);
        return new LocalRunSpec(proxyPath, proxy.Arguments([run.Command, .. run.Args]), run.WorkingDirectory);
    }
}
