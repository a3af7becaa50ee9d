using McpFleet.Spec;

namespace McpFleet.Core.Tests.Spec;

public sealed class FleetResolverTests
{
    private static readonly AutoscalingSpec s_defaultHpa = new(2, 10, 70, 80);

    [Fact]
    public void Resolve_MinimalFleet_AppliesEveryFleetDefault()
    {
        // Arrange
        var spec = Fleet(defaults: null, Server("alpha", 9000));

        // Act
        var fleet = FleetResolver.Resolve(spec);

        // Assert
        Assert.Equal("demo", fleet.Name);
        Assert.Equal("prod", fleet.Environment);
        Assert.Equal("external-secrets.io/v1", fleet.ExternalSecretApiVersion);
        Assert.Equal(new PortRange(9000, 9020), fleet.Ports);
        Assert.Equal(RuntimeContract.DefaultMetricsPort, fleet.MetricsPort);
        Assert.Equal("monitoring", fleet.MonitoringNamespace);
        Assert.Equal(new SecretStoreSpec("pulumi-esc", "SecretStore", "1h"), fleet.SecretStore);
        var server = Assert.Single(fleet.Servers);
        Assert.Equal(2, server.Replicas);
        Assert.Null(server.Autoscaling);
        Assert.Equal("scoobyjava15/mcp-alpha:v1.0.0", server.Image);
        Assert.Equal("mcp-alpha", server.ObjectName);
        Assert.Equal(new ResourcesSpec(new ResourceQuantities("500m", "1Gi"), new ResourceQuantities("1", "2Gi")), server.Resources);
    }

    [Fact]
    public void Resolve_StdioServer_GetsTheProxyWithTheFleetRegistrysDefaultImage()
    {
        var spec = Fleet(defaults: null, Server("alpha", 9000) with { Transport = ServerTransport.Stdio, Command = ["mcp-server-alpha"] });

        var proxy = FleetResolver.Resolve(spec).Servers.Single().Proxy;

        Assert.NotNull(proxy);
        Assert.Equal(ServerTransport.Stdio, proxy.Transport);
        Assert.Equal($"scoobyjava15/mcpfleet/proxy:v{FleetDefaults.Version}", proxy.Image);
        Assert.Null(proxy.UpstreamPort);
        Assert.Equal(["stdio", "--", "mcp-server-alpha", "--x"], proxy.Arguments(["mcp-server-alpha", "--x"]));
    }

    [Fact]
    public void Resolve_HttpServer_HasNoProxyUnlessEnabled()
    {
        var spec = Fleet(
            defaults: null,
            Server("alpha", 9000),
            Server("beta", 9001) with { Proxy = new ProxySpec { Enabled = true, UpstreamPort = 8080, Image = "ghcr.io/acme/proxy:1", MaxConcurrency = 4 } });

        var servers = FleetResolver.Resolve(spec).Servers.ToList();

        Assert.Null(servers[0].Proxy);
        var proxy = servers[1].Proxy!;
        Assert.Equal(("ghcr.io/acme/proxy:1", 8080), (proxy.Image, proxy.UpstreamPort));
        Assert.Equal(["http", "--upstream", "http://127.0.0.1:8080/mcp", "--max-concurrency", "4"], proxy.Arguments(["ignored"]));
    }

    [Theory]
    [InlineData("scoobyjava15/mcp-{name}:v{version}", "scoobyjava15/mcpfleet/proxy")]
    [InlineData("localhost:5000/mcpfleet/{name}:v{version}", "localhost:5000/mcpfleet/proxy")]
    [InlineData("registry.example.com/team/mcp-{name}:{version}", "registry.example.com/mcpfleet/proxy")]
    [InlineData("mcp-{name}:v{version}", "mcpfleet/proxy")]
    public void ProxyImage_FleetPattern_UsesItsRegistry(string pattern, string repository)
    {
        Assert.Equal($"{repository}:v{FleetDefaults.Version}", FleetDefaults.ProxyImage(pattern));
    }

    [Fact]
    public void Resolve_FleetDefaultHpa_OwnsTheReplicaCount()
    {
        // Arrange
        var spec = Fleet(new ServerDefaults { Replicas = 3, Autoscaling = s_defaultHpa }, Server("alpha", 9000) with { Replicas = 5 });

        // Act
        var server = FleetResolver.Resolve(spec).Servers.Single();

        // Assert: the Deployment omits replicas, so Replicas is the HPA minimum.
        Assert.Equal(s_defaultHpa, server.Autoscaling);
        Assert.Equal(2, server.Replicas);
        Assert.Equal(10, server.MaxReplicas);
    }

    [Fact]
    public void Resolve_AutoscalingFalse_UsesReplicasWithoutHpa()
    {
        // Arrange
        var spec = Fleet(new ServerDefaults { Replicas = 3, Autoscaling = s_defaultHpa },
            Server("alpha", 9000) with { Autoscaling = AutoscalingSetting.Disabled },
            Server("beta", 9001) with { Autoscaling = AutoscalingSetting.Disabled, Replicas = 4 });

        // Act
        var servers = FleetResolver.Resolve(spec).Servers.ToList();

        // Assert
        Assert.All(servers, s => Assert.Null(s.Autoscaling));
        Assert.Equal([3, 4], servers.Select(s => s.Replicas));
    }

    [Fact]
    public void Resolve_GpuServer_GetsOneReplicaAndNoDefaultHpa()
    {
        // Arrange
        var spec = Fleet(new ServerDefaults { Replicas = 2, Autoscaling = s_defaultHpa }, Server("ai-memory", 9000) with { Gpu = new GpuSpec("GH200") });

        // Act
        var server = FleetResolver.Resolve(spec).Servers.Single();

        // Assert
        Assert.Null(server.Autoscaling);
        Assert.Equal(1, server.Replicas);
        Assert.Equal(1, server.MaxReplicas);
    }

    [Fact]
    public void Resolve_StatefulServer_GetsOneReplicaAndNoDefaultHpa()
    {
        // Arrange
        var spec = Fleet(new ServerDefaults { Autoscaling = s_defaultHpa }, Server("agent", 9000) with { SessionMode = SessionMode.Stateful });

        // Act
        var server = FleetResolver.Resolve(spec).Servers.Single();

        // Assert
        Assert.Null(server.Autoscaling);
        Assert.Equal(1, server.Replicas);
    }

    [Fact]
    public void Resolve_ImageOverrideAndPattern_AreApplied()
    {
        // Arrange
        var spec = Fleet(null, Server("alpha", 9000), Server("beta", 9001) with { Image = "ghcr.io/acme/beta@sha256:abc" }) with
        {
            Image = "registry.example.com/{name}:{version}",
        };

        // Act
        var servers = FleetResolver.Resolve(spec).Servers.ToList();

        // Assert
        Assert.Equal("registry.example.com/alpha:1.0.0", servers[0].Image);
        Assert.Equal("ghcr.io/acme/beta@sha256:abc", servers[1].Image);
    }

    [Fact]
    public void Resolve_PartialResources_MergeFieldByFieldWithFleetDefaults()
    {
        // Arrange
        var defaults = new ServerDefaults { Resources = new ResourcesSpec(new ResourceQuantities("250m", "512Mi"), new ResourceQuantities("500m", "1Gi")) };
        var spec = Fleet(defaults, Server("alpha", 9000) with { Resources = new ResourcesSpec(null, new ResourceQuantities(null, "4Gi")) });

        // Act
        var server = FleetResolver.Resolve(spec).Servers.Single();

        // Assert
        Assert.Equal(new ResourcesSpec(new ResourceQuantities("250m", "512Mi"), new ResourceQuantities("500m", "4Gi")), server.Resources);
    }

    [Fact]
    public void Resolve_Phases_AreNumberedFromOneAndKeepListedOrder()
    {
        // Arrange
        var spec = Fleet(null, Server("alpha", 9000), Server("beta", 9001) with { DependsOn = ["alpha"] }, Server("gamma", 9002)) with
        {
            Phases = [new PhaseSpec("core", ["gamma", "alpha"]), new PhaseSpec("extra", ["beta"])],
        };

        // Act
        var fleet = FleetResolver.Resolve(spec);

        // Assert
        Assert.Equal(["phase-1-core", "phase-2-extra"], fleet.Phases.Select(p => p.DirectoryName));
        Assert.Equal(["gamma", "alpha", "beta"], fleet.Servers.Select(s => s.Name));
        Assert.Equal([1, 1, 2], fleet.Servers.Select(s => s.Phase));
        var dependency = Assert.Single(fleet.Servers.Last().Dependencies);
        Assert.Equal(new ResolvedDependency("alpha", 9000, "http://mcp-alpha.demo.svc.cluster.local:9000/mcp"), dependency);
    }

    [Fact]
    public void Resolve_EnvAndCallers_AreSortedByKey()
    {
        // Arrange
        var spec = Fleet(null, Server("alpha", 9000)) with
        {
            Env = new Dictionary<string, string> { ["ZED"] = "1", ["ALPHA"] = "2" },
            Callers = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "backend" },
        };

        // Act
        var fleet = FleetResolver.Resolve(spec);

        // Assert
        Assert.Equal(["ALPHA", "ZED"], fleet.Env.Select(kv => kv.Key));
        Assert.Equal(["app", "tier"], fleet.Callers.Select(kv => kv.Key));
    }

    private static ServerSpec Server(string name, int port) => new() { Name = name, Port = port, Version = "1.0.0" };

    private static FleetSpec Fleet(ServerDefaults? defaults, params ServerSpec[] servers) => new()
    {
        Namespace = "demo",
        Callers = new Dictionary<string, string> { ["app"] = "backend" },
        Defaults = defaults,
        Servers = servers,
        Phases = [new PhaseSpec("core", [.. servers.Select(s => s.Name)])],
    };
}
