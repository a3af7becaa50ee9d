using McpFleet.Diagnostics;

namespace McpFleet.Spec.Validation;

/// <summary>The checks that need more than one file: names, ports, phases, dependencies, effective resources and HPA.</summary>
internal sealed partial class FleetValidator
{
    private readonly FleetSpec? _fleet;
    private readonly IReadOnlyList<ServerSpec> _servers;
    private readonly ISet<string> _unreadable;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, int> _phaseOf = new(StringComparer.Ordinal);

    /// <param name="fleet">The fleet file, or <see langword="null"/> when it could not be read.</param>
    /// <param name="servers">The servers that could be read, in file order.</param>
    /// <param name="unreadable">Names (file stems) of values files that could not be read, so phases naming them are not flagged.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public FleetValidator(FleetSpec? fleet, IReadOnlyList<ServerSpec> servers, ISet<string> unreadable, DiagnosticBag diagnostics)
    {
        _fleet = fleet;
        _servers = servers;
        _unreadable = unreadable;
        _diagnostics = diagnostics;
    }

    /// <summary>Runs every cross-file check.</summary>
    public void Validate()
    {
        var byName = UniqueNames();
        CheckPorts();
        CheckUpstreamPorts();
        if (_fleet is not null)
        {
            CheckPhases(byName);
            CheckSecretStore();
        }

        CheckDependencies(byName);
        foreach (var server in _servers)
        {
            CheckResources(server);
            CheckReplicas(server);
        }

        if (_fleet?.Defaults?.Resources is { } defaults)
        {
            CheckLimits(_fleet.Source, "defaults.resources", defaults, defaults, null);
        }

        if (_fleet?.Gateway is { Enabled: true } gateway)
        {
            CheckGateway(_fleet, gateway, byName);
        }
    }

    private Dictionary<string, ServerSpec> UniqueNames()
    {
        var byName = new Dictionary<string, ServerSpec>(StringComparer.Ordinal);
        foreach (var server in _servers)
        {
            if (!byName.TryAdd(server.Name, server))
            {
                Error(SpecCodes.DuplicateName, server.Source.Locate("name"),
                    $"server name '{server.Name}' is already used by {FileOf(byName[server.Name])}");
            }
        }

        return byName;
    }

    // The proxy and the server share the pod's network: the server's localhost port must not be the proxy's metrics port.
    private void CheckUpstreamPorts()
    {
        var metricsPort = _fleet?.MetricsPort ?? RuntimeContract.DefaultMetricsPort;
        foreach (var server in _servers.Where(s => s.UsesProxy && s.Proxy?.UpstreamPort == metricsPort))
        {
            Error(SpecCodes.InvalidUpstreamPort, server.Source.Locate("proxy.upstreamPort"),
                $"'proxy.upstreamPort' {metricsPort} is the metrics port, which the proxy serves in the same pod; choose another");
        }
    }

    private void CheckPorts()
    {
        // No range check when fleet.yaml is unreadable or its range is invalid: that is reported already.
        var range = _fleet is null ? null : _fleet.Ports ?? (_fleet.Source.Locate("ports").Line == 0 ? FleetDefaults.Ports : null);
        var metricsPort = _fleet?.MetricsPort ?? RuntimeContract.DefaultMetricsPort;
        var byPort = new Dictionary<int, ServerSpec>();
        foreach (var server in _servers.Where(s => s.Port > 0))
        {
            var at = server.Source.Locate("port");
            if (range is not null && !range.Contains(server.Port))
            {
                Error(SpecCodes.PortOutOfRange, at,
                    $"port {server.Port} is outside the fleet's MCP port range {range.Min}-{range.Max} (ports in fleet.yaml)");
            }

            if (server.Port == metricsPort)
            {
                Error(SpecCodes.DuplicatePort, at, $"port {server.Port} is the metrics port of every pod; choose another");
            }
            else if (!byPort.TryAdd(server.Port, server))
            {
                Error(SpecCodes.DuplicatePort, at, $"port {server.Port} is already used by {Display(byPort[server.Port])}");
            }
        }
    }

    private void CheckPhases(Dictionary<string, ServerSpec> byName)
    {
        var fleet = _fleet!;
        for (var i = 0; i < fleet.Phases.Count; i++)
        {
            var phase = fleet.Phases[i];
            for (var j = 0; j < phase.Servers.Count; j++)
            {
                var name = phase.Servers[j];
                var at = fleet.Source.Locate($"phases[{i}].servers[{j}]");
                if (!byName.ContainsKey(name) && !_unreadable.Contains(name))
                {
                    var closest = SpecText.Closest(name, byName.Keys);
                    Error(SpecCodes.UnknownPhaseServer, at,
                        $"phase '{phase.Name}' lists '{name}', which has no values file (values/{name}.yaml)" +
                        (closest is not null ? $"; did you mean '{closest}'?" : ""));
                }
                else if (_phaseOf.TryGetValue(name, out var other))
                {
                    Error(SpecCodes.ServerInTwoPhases, at, other == i
                        ? $"server '{name}' is listed twice in phase '{phase.Name}'"
                        : $"server '{name}' is already in phase '{fleet.Phases[other].Name}'; a server belongs to exactly one phase");
                }
                else
                {
                    _phaseOf[name] = i;
                }
            }
        }

        foreach (var server in _servers)
        {
            if (!_phaseOf.ContainsKey(server.Name))
            {
                Error(SpecCodes.ServerInNoPhase, server.Source.Locate("name"),
                    $"server '{server.Name}' is in no phase; add it to a phase's servers in fleet.yaml");
            }
        }
    }

    private void CheckSecretStore()
    {
        if (_fleet!.SecretStore is null && _servers.FirstOrDefault(s => s.Secrets.Count > 0) is { } withSecrets)
        {
            Error(SpecCodes.InvalidSecretStore, _fleet.Source.Locate("secretStore"),
                $"'secretStore' is required because servers declare secrets (e.g. {withSecrets.Name}); add secretStore: {{ name: {FleetDefaults.SecretStore.Name}, kind: {FleetDefaults.SecretStore.Kind} }}");
        }
    }

    private void CheckDependencies(Dictionary<string, ServerSpec> byName)
    {
        foreach (var server in _servers)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < server.DependsOn.Count; k++)
            {
                var dep = server.DependsOn[k];
                var at = server.Source.Locate($"dependsOn[{k}]");
                if (dep == server.Name)
                {
                    Error(SpecCodes.SelfDependency, at, $"server '{dep}' depends on itself; remove it from dependsOn");
                }
                else if (!byName.ContainsKey(dep))
                {
                    if (!_unreadable.Contains(dep))
                    {
                        var closest = SpecText.Closest(dep, byName.Keys);
                        Error(SpecCodes.UnknownDependency, at,
                            $"dependsOn names '{dep}', which is not a server of this fleet" + (closest is not null ? $"; did you mean '{closest}'?" : ""));
                    }
                }
                else if (!seen.Add(dep))
                {
                    Error(SpecCodes.UnknownDependency, at, $"dependsOn lists '{dep}' twice");
                }
                else if (_phaseOf.TryGetValue(server.Name, out var mine) && _phaseOf.TryGetValue(dep, out var theirs) && theirs > mine)
                {
                    Error(SpecCodes.DependencyInLaterPhase, at,
                        $"'{dep}' is in phase {theirs + 1} ({_fleet!.Phases[theirs].Name}), after '{server.Name}' in phase {mine + 1} ({_fleet.Phases[mine].Name}); a server may depend only on servers of its own or an earlier phase");
                }
            }
        }

        FindCycles(byName);
    }

    /// <summary>Depth-first search in name order; each back edge closes one cycle, reported at the entry that closes it.</summary>
    private void FindCycles(Dictionary<string, ServerSpec> byName)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the stack, 2 = done
        var stack = new List<string>();

        void Visit(ServerSpec server)
        {
            state[server.Name] = 1;
            stack.Add(server.Name);
            for (var k = 0; k < server.DependsOn.Count; k++)
            {
                var dep = server.DependsOn[k];
                if (dep == server.Name || !byName.TryGetValue(dep, out var target))
                {
                    continue;
                }

                if (!state.TryGetValue(dep, out var s))
                {
                    Visit(target);
                }
                else if (s == 1)
                {
                    var path = stack.Skip(stack.IndexOf(dep)).Append(dep);
                    Error(SpecCodes.DependencyCycle, server.Source.Locate($"dependsOn[{k}]"),
                        $"dependsOn forms a cycle: {string.Join(" -> ", path)}");
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[server.Name] = 2;
        }

        foreach (var name in byName.Keys.Order(StringComparer.Ordinal))
        {
            if (!state.ContainsKey(name))
            {
                Visit(byName[name]);
            }
        }
    }

    private void CheckResources(ServerSpec server)
    {
        if (server.Resources is null)
        {
            return; // Entirely the fleet default, which is checked once in fleet.yaml.
        }

        var effective = FleetDefaults.MergeResources(server.Resources, _fleet?.Defaults?.Resources);
        CheckLimits(server.Source, "resources", effective, server.Resources, _fleet?.Defaults?.Resources is null ? "built-in default" : "fleet default");
    }

    /// <summary>Reports a limit below its request, when at least one side was written in <paramref name="written"/>.</summary>
    private void CheckLimits(SourceMap source, string path, ResourcesSpec effective, ResourcesSpec written, string? inheritedFrom)
    {
        foreach (var resource in new[] { "cpu", "memory" })
        {
            var request = resource == "cpu" ? effective.Requests?.Cpu : effective.Requests?.Memory;
            var limit = resource == "cpu" ? effective.Limits?.Cpu : effective.Limits?.Memory;
            var writtenRequest = resource == "cpu" ? written.Requests?.Cpu : written.Requests?.Memory;
            var writtenLimit = resource == "cpu" ? written.Limits?.Cpu : written.Limits?.Memory;
            if (writtenRequest is null && writtenLimit is null
                || !Quantity.TryParse(request, out var r) || !Quantity.TryParse(limit, out var l) || l >= r)
            {
                continue;
            }

            var at = source.Locate(writtenLimit is not null ? $"{path}.limits.{resource}" : $"{path}.requests.{resource}");
            var limitText = writtenLimit is null && inheritedFrom is not null ? $"{limit} ({inheritedFrom})" : limit;
            var requestText = writtenRequest is null && inheritedFrom is not null ? $"{request} ({inheritedFrom})" : request;
            Error(SpecCodes.LimitBelowRequest, at, $"limits.{resource} {limitText} is below requests.{resource} {requestText}");
        }
    }

    private void CheckReplicas(ServerSpec server)
    {
        var explicitHpa = server.Autoscaling.Mode == AutoscalingMode.Custom;
        if (server.Gpu is not null && explicitHpa)
        {
            Error(SpecCodes.GpuAutoscaling, server.Source.Locate("autoscaling"),
                "a GPU server cannot autoscale: each replica needs a whole GPU, and a scale-up would wait for one; remove 'autoscaling' and set 'replicas'");
        }
        else if (server.SessionMode == SessionMode.Stateful && explicitHpa)
        {
            Error(SpecCodes.StatefulAutoscaling, server.Source.Locate("autoscaling"),
                "a stateful server cannot autoscale: its sessions live in one pod's memory and a scale-in drops them; remove 'autoscaling' or make it stateless");
        }

        if (server.SessionMode == SessionMode.Stateful && server.Replicas > 1)
        {
            _diagnostics.Warning(SpecCodes.StatefulReplicas, server.Source.Locate("replicas"),
                $"a stateful server with {server.Replicas} replicas needs session affinity in front of it, or clients lose their sessions");
        }

        var hpa = FleetResolver.EffectiveAutoscaling(server, _fleet?.Defaults);
        if (hpa is not null && server.Replicas is { } replicas && replicas != hpa.MinReplicas && server.Gpu is null)
        {
            _diagnostics.Warning(SpecCodes.ReplicasIgnored, server.Source.Locate("replicas"),
                $"'replicas: {replicas}' is ignored because an HPA owns the replica count (minReplicas {hpa.MinReplicas}); set autoscaling.minReplicas: {replicas}, or autoscaling: false");
        }
    }

    private void Error(string code, SourceLocation at, string message) => _diagnostics.Error(code, at, message);

    private static string Display(ServerSpec server) => $"'{server.Name}' ({FileOf(server)})";

    private static string FileOf(ServerSpec server) => $"{FleetLoader.ValuesDirectoryName}/{Path.GetFileName(server.Source.File)}";
}
