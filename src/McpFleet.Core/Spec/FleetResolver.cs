namespace McpFleet.Spec;

/// <summary>Applies the fleet defaults to a valid <see cref="FleetSpec"/>.</summary>
public static class FleetResolver
{
    /// <summary>Resolves a spec that <see cref="FleetLoader"/> accepted.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The resolved fleet.</returns>
    /// <exception cref="InvalidOperationException">A phase or dependency names a server the spec does not have.</exception>
    public static ResolvedFleet Resolve(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var byName = spec.Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var phases = new List<ResolvedPhase>(spec.Phases.Count);
        for (var i = 0; i < spec.Phases.Count; i++)
        {
            var phase = spec.Phases[i];
            var servers = phase.Servers.Select(name => ResolveServer(Find(byName, name), i + 1, spec, byName)).ToList();
            phases.Add(new ResolvedPhase(i + 1, phase.Name, servers));
        }

        return new ResolvedFleet
        {
            Name = spec.Name ?? spec.Namespace,
            Namespace = spec.Namespace,
            Environment = spec.Environment ?? FleetDefaults.Environment,
            Env = Sorted(spec.Env),
            SecretStore = spec.SecretStore is { } store
                ? store with { RefreshInterval = store.RefreshInterval ?? FleetDefaults.RefreshInterval }
                : FleetDefaults.SecretStore,
            ExternalSecretApiVersion = spec.ExternalSecretApiVersion ?? FleetDefaults.ExternalSecretApiVersion,
            Ports = spec.Ports ?? FleetDefaults.Ports,
            MetricsPort = spec.MetricsPort ?? RuntimeContract.DefaultMetricsPort,
            Callers = Sorted(spec.Callers ?? new Dictionary<string, string>()),
            MonitoringNamespace = spec.MonitoringNamespace ?? FleetDefaults.MonitoringNamespace,
            Phases = phases,
            Gateway = spec.Gateway is { Enabled: true } gateway ? ResolveGateway(gateway, spec, phases) : null,
        };
    }

    private static ResolvedGateway ResolveGateway(GatewaySpec gateway, FleetSpec spec, List<ResolvedPhase> phases)
    {
        var byName = phases.SelectMany(p => p.Servers).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var fronted = gateway.Servers ?? [.. phases.SelectMany(p => p.Servers).Select(s => new GatewayServerSpec(s.Name))];
        var upstreams = fronted
            .Select(f => (Front: f, Server: byName.TryGetValue(f.Name, out var server)
                ? server
                : throw new InvalidOperationException($"The gateway fronts server '{f.Name}', which the spec does not have; resolve only a spec that FleetLoader accepted.")))
            .Select(x => new ResolvedUpstream(
                x.Server.Name,
                x.Server.Spec.Port,
                RuntimeContract.ServiceUrl(x.Server.Name, spec.Namespace, x.Server.Spec.Port),
                x.Front.Prefix ?? x.Server.Name,
                x.Front.Tools,
                x.Front.Timeout,
                x.Server.Spec.SessionMode == SessionMode.Stateful))
            .ToList();
        return new ResolvedGateway
        {
            Spec = gateway,
            Phase = phases.Count + 1,
            Image = gateway.Image ?? FleetDefaults.GatewayImage(spec.Image ?? FleetDefaults.ImagePattern),
            Port = gateway.Port
                ?? FleetDefaults.GatewayPort(spec.Ports ?? FleetDefaults.Ports, byName.Values.Select(s => s.Spec.Port))
                ?? throw new InvalidOperationException("The fleet's port range has no port left for the gateway; resolve only a spec that FleetLoader accepted."),
            Replicas = gateway.Autoscaling?.MinReplicas ?? gateway.Replicas ?? FleetDefaults.Replicas,
            Resources = FleetDefaults.MergeResources(gateway.Resources, FleetDefaults.GatewayResources),
            Autoscaling = gateway.Autoscaling,
            Upstreams = upstreams,
        };
    }

    /// <summary>
    /// The HPA a server gets: its own, none for <c>autoscaling: false</c>, else the fleet default, except for GPU and
    /// stateful servers, which never get the default (a GPU per replica; sessions in one pod's memory).
    /// </summary>
    /// <param name="server">The server.</param>
    /// <param name="defaults">The fleet defaults.</param>
    /// <returns>The HPA, or <see langword="null"/>.</returns>
    public static AutoscalingSpec? EffectiveAutoscaling(ServerSpec server, ServerDefaults? defaults)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.Autoscaling.Mode switch
        {
            AutoscalingMode.Disabled => null,
            AutoscalingMode.Custom => server.Autoscaling.Spec,
            _ => server.Gpu is null && server.SessionMode == SessionMode.Stateless ? defaults?.Autoscaling : null,
        };
    }

    private static ResolvedServer ResolveServer(ServerSpec server, int phase, FleetSpec spec, Dictionary<string, ServerSpec> byName)
    {
        var autoscaling = EffectiveAutoscaling(server, spec.Defaults);
        var single = server.Gpu is not null || server.SessionMode == SessionMode.Stateful;
        var replicas = autoscaling?.MinReplicas
            ?? server.Replicas
            ?? (single ? FleetDefaults.SingleReplica : spec.Defaults?.Replicas ?? FleetDefaults.Replicas);
        var image = server.Image ?? Image(spec.Image ?? FleetDefaults.ImagePattern, server.Name, server.Version);
        var dependencies = server.DependsOn
            .Select(name => Find(byName, name))
            .Select(dep => new ResolvedDependency(dep.Name, dep.Port, RuntimeContract.ServiceUrl(dep.Name, spec.Namespace, dep.Port)))
            .ToList();

        return new ResolvedServer
        {
            Spec = server,
            Phase = phase,
            Image = image,
            Replicas = replicas,
            Resources = FleetDefaults.MergeResources(server.Resources, spec.Defaults?.Resources),
            Autoscaling = autoscaling,
            Dependencies = dependencies,
            Proxy = Proxy(server, spec),
        };
    }

    private static ResolvedProxy? Proxy(ServerSpec server, FleetSpec spec) => server.UsesProxy
        ? new ResolvedProxy
        {
            Transport = server.Transport,
            Image = server.Proxy?.Image ?? FleetDefaults.ProxyImage(spec.Image ?? FleetDefaults.ImagePattern),
            UpstreamPort = server.Transport == ServerTransport.Http ? server.Proxy?.UpstreamPort : null,
            MaxConcurrency = server.Proxy?.MaxConcurrency,
            RequestTimeout = server.Proxy?.RequestTimeout,
            InitializeTimeout = server.Proxy?.InitializeTimeout,
            StopTimeout = server.Proxy?.StopTimeout,
        }
        : null;

    private static ServerSpec Find(Dictionary<string, ServerSpec> byName, string name) =>
        byName.TryGetValue(name, out var server)
            ? server
            : throw new InvalidOperationException($"The spec names server '{name}' but has no values for it; resolve only a spec that FleetLoader accepted.");

    private static List<KeyValuePair<string, string>> Sorted(IReadOnlyDictionary<string, string> map) =>
        [.. map.OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    /// <summary>Fills an image pattern's <c>{name}</c> and <c>{version}</c>.</summary>
    /// <param name="pattern">The pattern, e.g. <see cref="FleetDefaults.ImagePattern"/>.</param>
    /// <param name="name">The server name.</param>
    /// <param name="version">The server version.</param>
    /// <returns>The image reference.</returns>
    internal static string Image(string pattern, string name, string version) =>
        pattern.Replace("{name}", name, StringComparison.Ordinal).Replace("{version}", version, StringComparison.Ordinal);
}
