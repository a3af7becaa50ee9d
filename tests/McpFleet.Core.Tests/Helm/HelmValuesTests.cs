using McpFleet.Helm;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Helm;

public sealed class HelmValuesTests
{
    private static ResolvedFleet Fleet()
    {
        var memory = new ResolvedServer
        {
            Spec = new ServerSpec
            {
                Name = "ai-memory",
                Port = 9000,
                Version = "2.0",
                Tools = 4,
                Description = "Memory \"quoted\"",
                Gpu = new GpuSpec("GH200", 1, "nvidia"),
            },
            Phase = 1,
            Image = "scoobyjava15/mcp-ai-memory:v2.0",
            Replicas = 1,
            Resources = new ResourcesSpec(new ResourceQuantities("2", "4Gi"), new ResourceQuantities("4", "8Gi")),
            Dependencies = [],
        };
        var gong = new ResolvedServer
        {
            Spec = new ServerSpec
            {
                Name = "gong",
                Port = 9005,
                Version = "2.0.0",
                Replicas = 3,
                Tools = 6,
                Description = "Sales call analytics",
                Secrets = [new SecretSpec("GONG_API_KEY", "sophia.business.gong.api_key")],
                Env = new Dictionary<string, string> { ["Z"] = "true", ["A"] = "1", ["FLAG"] = "on" },
                DependsOn = ["ai-memory"],
                Egress = [new EgressRule("api.gong.io", null, [443])],
            },
            Phase = 2,
            Image = "scoobyjava15/mcp-gong:v2.0.0",
            Replicas = 2,
            Resources = new ResourcesSpec(new ResourceQuantities("1", "2Gi"), new ResourceQuantities("2", "4Gi")),
            Autoscaling = new AutoscalingSpec(2, 10, 70, null),
            Dependencies = [new ResolvedDependency("ai-memory", 9000, RuntimeContract.ServiceUrl("ai-memory", "sophia-ai", 9000))],
        };
        return new ResolvedFleet
        {
            Name = "sophia-ai",
            Namespace = "sophia-ai",
            Environment = "prod",
            Env = [KeyValuePair.Create("PULUMI_ORG", "scoobyjava-org")],
            SecretStore = new SecretStoreSpec("pulumi-esc", "SecretStore", "1h"),
            ExternalSecretApiVersion = "external-secrets.io/v1",
            Ports = new PortRange(9000, 9020),
            MetricsPort = RuntimeContract.DefaultMetricsPort,
            Callers = [KeyValuePair.Create("app", "sophia-backend")],
            MonitoringNamespace = "monitoring",
            Phases = [new ResolvedPhase(1, "core", [memory]), new ResolvedPhase(2, "business", [gong])],
        };
    }

    [Fact]
    public void Generate_TwoServers_OneFilePerServerInRolloutOrder()
    {
        var files = HelmValues.Generate(Fleet());

        Assert.Equal(["ai-memory.yaml", "gong.yaml"], files.Select(f => f.FileName));
        Golden.Match("Snapshots/ai-memory.yaml", files[0].Yaml);
        Golden.Match("Snapshots/gong.yaml", files[1].Yaml);
    }

    [Fact]
    public void Generate_ServerWithOwnProbePaths_WritesThemUnderProbes()
    {
        var fleet = Fleet();
        var gong = fleet.Phases[1].Servers[0];
        var withPaths = fleet with
        {
            Phases = [fleet.Phases[0], fleet.Phases[1] with { Servers = [gong with { Spec = gong.Spec with { Probes = new ProbeOverrides { HealthPath = "/healthz", ReadyPath = "/readyz" } } }] }],
        };

        var yaml = HelmValues.Generate(withPaths)[1].Yaml;

        Assert.Contains("\nprobes:\n  healthPath: /healthz\n  readyPath: /readyz\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("probes:", HelmValues.Generate(fleet)[1].Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ServerWithLocalRunBlock_LeavesItOutOfTheChartValues()
    {
        var fleet = Fleet();
        var gong = fleet.Phases[1].Servers[0];
        var local = fleet with
        {
            Phases = [fleet.Phases[0], fleet.Phases[1] with { Servers = [gong with { Spec = gong.Spec with { Run = new LocalRunSpec("node", ["/home/dev/gong/dist/index.js"], "servers/gong") } }] }],
        };

        var yaml = HelmValues.Generate(local)[1].Yaml;

        Assert.Equal(HelmValues.Generate(fleet)[1].Yaml, yaml);
        Assert.DoesNotContain("/home/dev", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_SameFleetTwice_SameBytes()
    {
        Assert.Equal(HelmValues.Generate(Fleet()).Select(f => f.Yaml), HelmValues.Generate(Fleet()).Select(f => f.Yaml));
    }

    [Fact]
    public async Task Write_NewDirectory_WritesEveryFileAndNoTemporaries()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mcpfleet-helm-values-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = HelmValues.Write(Fleet(), Path.Combine(dir, "values"), TestContext.Current.CancellationToken).Files;

            Assert.Equal(
                files.Select(f => f.FileName).Order(StringComparer.Ordinal),
                Directory.GetFiles(Path.Combine(dir, "values")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(files[1].Yaml, await File.ReadAllTextAsync(Path.Combine(dir, "values", "gong.yaml"), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Write_ServerRemovedFromFleet_RemovesItsGeneratedFileOnly()
    {
        var dir = Directory.CreateTempSubdirectory("mcpfleet-helm-values-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "old.yaml"), HelmValues.GeneratedMarker + " from fleet sophia-ai: ...\nname: old\n");
            File.WriteAllText(Path.Combine(dir, "hand-written.yaml"), "name: mine\n");

            HelmValues.Write(Fleet(), dir, TestContext.Current.CancellationToken);

            Assert.Equal(
                ["ai-memory.yaml", "gong.yaml", "hand-written.yaml"],
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Helm reads values with go-yaml's YAML 1.1, where 1e3 is the float 1000 and 0777 the octal 511: YamlDotNet's own
    // YAML 1.1 quoting left 1e3 plain, and the chart rendered "1000". Every such string must arrive as written.
    [Fact]
    public async Task HelmTemplate_StringsThatLookLikeOtherTypes_ArriveUnchanged()
    {
        string[] values = ["1e3", "1E3", "0x1F", "0o17", "0777", ".inf", "1_000", "12:30", "yes", "~", "2025-07-10", "-"];
        var fleet = Fleet();
        var gong = fleet.Phases[1].Servers[0];
        var env = values.Select((v, i) => KeyValuePair.Create($"V{i:D2}", v)).ToDictionary(StringComparer.Ordinal);
        fleet = fleet with { Phases = [fleet.Phases[0], fleet.Phases[1] with { Servers = [gong with { Spec = gong.Spec with { Env = env } }] }] };
        var file = Path.Combine(Path.GetTempPath(), $"mcpfleet-helm-quoting-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, HelmValues.Generate(fleet)[1].Yaml, TestContext.Current.CancellationToken);

            var objects = await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", file);

            var rendered = objects.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
                .Where(e => ((string?)e!["name"])!.StartsWith('V')).Select(e => e!["value"]!.GetValue<string>());
            Assert.Equal(values, rendered);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task HelmTemplate_GeneratedValues_RenderWithRealHelm()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mcpfleet-helm-values-" + Guid.NewGuid().ToString("N"));
        try
        {
            HelmValues.Write(Fleet(), dir, TestContext.Current.CancellationToken);

            var objects = await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", Path.Combine(dir, "gong.yaml"));

            var deployment = objects.Single(o => (string?)o["kind"] == "Deployment");
            var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            Assert.Equal(
                ["ENVIRONMENT", "PULUMI_ORG", "SERVER_PORT", "METRICS_PORT", "POD_NAMESPACE", "MCP_SESSION_MODE", "A", "FLAG", "Z", "AI_MEMORY_MCP_URL"],
                env.Select(e => (string?)e!["name"]));
            // Helm reads values as YAML 1.1: an unquoted on would arrive as the boolean true.
            Assert.Equal(["1", "on", "true"], env.Where(e => (string?)e!["name"] is "A" or "FLAG" or "Z").Select(e => e!["value"]!.GetValue<string>()));
            Assert.Equal("http://mcp-ai-memory.sophia-ai.svc.cluster.local:9000/mcp", (string?)env[^1]!["value"]);
            Assert.Null(deployment["spec"]!["replicas"]);
            var hpa = objects.Single(o => (string?)o["kind"] == "HorizontalPodAutoscaler");
            Assert.Equal(["cpu"], hpa["spec"]!["metrics"]!.AsArray().Select(m => (string?)m!["resource"]!["name"]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
