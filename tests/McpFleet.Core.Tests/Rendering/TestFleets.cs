using McpFleet.Spec;

namespace McpFleet.Core.Tests.Rendering;

/// <summary>Resolved fleets built in code, so the renderer is tested independently of the loader.</summary>
internal static class TestFleets
{
    public static readonly ResourcesSpec DefaultResources = new(new ResourceQuantities("500m", "1Gi"), new ResourceQuantities("1", "2Gi"));

    public static ResolvedFleet Fleet(params ResolvedPhase[] phases) => new()
    {
        Name = "sophia-ai",
        Namespace = "sophia-ai",
        Environment = "prod",
        Env = [new("PULUMI_ORG", "scoobyjava-org")],
        SecretStore = new SecretStoreSpec("pulumi-esc", "SecretStore", "1h"),
        ExternalSecretApiVersion = "external-secrets.io/v1",
        Ports = new PortRange(9000, 9020),
        MetricsPort = RuntimeContract.DefaultMetricsPort,
        Callers = [new("app", "sophia-backend")],
        MonitoringNamespace = "monitoring",
        Phases = phases,
    };

    public static ResolvedServer Server(
        ServerSpec spec,
        int phase = 1,
        int replicas = 2,
        AutoscalingSpec? autoscaling = null,
        ResourcesSpec? resources = null,
        params ResolvedDependency[] dependencies) => new()
        {
            Spec = spec,
            Phase = phase,
            Image = $"scoobyjava15/mcp-{spec.Name}:v{spec.Version}",
            Replicas = replicas,
            Resources = resources ?? spec.Resources ?? DefaultResources,
            Autoscaling = autoscaling,
            Dependencies = dependencies,
        };

    public static ServerSpec NewSpec(string name, int port, string version = "1.0.0") => new()
    {
        Name = name,
        Port = port,
        Version = version,
        Tools = 4,
        Description = $"The {name} server",
    };

    public static ResolvedDependency Dependency(string name, int port) =>
        new(name, port, RuntimeContract.ServiceUrl(name, "sophia-ai", port));

    /// <summary>One server of each kind: GPU, secrets with an HPA, dependencies with egress, plain without secrets.</summary>
    public static ResolvedFleet Sample()
    {
        var aiMemory = Server(
            NewSpec("ai-memory", 9000, "2.0.0") with
            {
                Tools = 12,
                Description = "Long-term memory with GPU embeddings",
                Gpu = new GpuSpec("GH200", 1, "nvidia"),
                Resources = new(new ResourceQuantities("2", "4Gi"), new ResourceQuantities("4", "8Gi")),
            },
            replicas: 1);
        var gong = Server(
            NewSpec("gong", 9005, "2.0.0") with
            {
                Tools = 6,
                Description = "Sales call analytics",
                Replicas = 3,
                Resources = new(new ResourceQuantities("1", "2Gi"), new ResourceQuantities("2", "4Gi")),
                Secrets = [new SecretSpec("GONG_API_KEY", "sophia.business.gong.api_key")],
                Egress = [new EgressRule("api.gong.io", null, [443])],
            },
            phase: 2,
            replicas: 3,
            autoscaling: new AutoscalingSpec(3, 10, 70, 80));
        var github = Server(
            NewSpec("github", 9002) with
            {
                Secrets = [new SecretSpec("GITHUB_TOKEN", "sophia.dev.github.token"), new SecretSpec("GITHUB_APP_KEY", "sophia.dev.github.app_key")],
                DependsOn = ["ai-memory"],
                Env = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["FEATURE_X"] = "true" },
                Egress = [new EgressRule(null, "10.20.0.0/16", [5432, 6379])],
                Labels = new Dictionary<string, string> { ["team"] = "platform" },
                SessionMode = SessionMode.Stateful,
                Command = ["/app/server"],
                Args = ["--verbose"],
            },
            dependencies: Dependency("ai-memory", 9000));
        var slack = Server(
            NewSpec("slack", 9003) with { Probes = new ProbeOverrides { StartupFailureThreshold = 60, TimeoutSeconds = 3 } },
            replicas: 1);
        return Fleet(
            new ResolvedPhase(1, "core", [aiMemory, github, slack]),
            new ResolvedPhase(2, "business", [gong]));
    }

    /// <summary>
    /// Servers behind mcpfleet-proxy and beside it: a stdio server with proxy limits, an http server behind the proxy
    /// sidecar (with secrets, so the sidecar's API keys come from them too), and an http server with probe paths of its own.
    /// </summary>
    public static ResolvedFleet Proxied()
    {
        var github = Server(
            NewSpec("github", 9002) with
            {
                Transport = ServerTransport.Stdio,
                Command = ["npx"],
                Args = ["mcp-server-github", "--toolsets", "repos"],
                Secrets = [new SecretSpec("GITHUB_PERSONAL_ACCESS_TOKEN", "sophia.dev.github.token")],
            },
            replicas: 2) with
        {
            Proxy = new ResolvedProxy
            {
                Transport = ServerTransport.Stdio,
                Image = "scoobyjava15/mcpfleet/proxy:v0.1.0",
                MaxConcurrency = 16,
                RequestTimeout = "60s",
                InitializeTimeout = "45s",
                StopTimeout = "10s",
            },
        };
        var atlassian = Server(
            NewSpec("atlassian", 9004) with
            {
                Secrets = [new SecretSpec("MCP_API_KEYS", "sophia.mcp.api_keys")],
                Args = ["--transport", "streamable-http", "--port", "8080"],
            },
            replicas: 2) with
        {
            Proxy = new ResolvedProxy
            {
                Transport = ServerTransport.Http,
                Image = "scoobyjava15/mcpfleet/proxy:v0.1.0",
                UpstreamPort = 8080,
                RequestTimeout = "2m",
            },
        };
        var kubernetes = Server(
            NewSpec("kubernetes", 9006) with { Probes = new ProbeOverrides { HealthPath = "/healthz", ReadyPath = "/readyz" } });
        return Fleet(new ResolvedPhase(1, "core", [github, atlassian, kubernetes]));
    }
}
