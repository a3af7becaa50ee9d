using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Spec;

public sealed class ExampleFleetTests
{
    private static readonly string s_example = Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai");

    [Fact]
    public void Load_SophiaExample_HasNoDiagnostics()
    {
        // Act
        var result = FleetLoader.Load(s_example);

        // Assert
        Assert.Empty(result.Diagnostics);
        Assert.True(result.Success);
        Assert.Equal(16, result.Spec!.Servers.Count);
    }

    [Fact]
    public void Resolve_SophiaExample_KeepsTheDocumentsFigures()
    {
        // Arrange
        var spec = FleetLoader.Load(s_example).Spec!;

        // Act
        var fleet = FleetResolver.Resolve(spec);

        // Assert
        Assert.Equal(["core", "business", "extended", "advanced"], fleet.Phases.Select(p => p.Name));
        Assert.Equal([1, 2, 3, 4], fleet.Phases.Select(p => p.Number));
        Assert.Equal(16, fleet.Servers.Count());

        var aiMemory = fleet.Servers.Single(s => s.Name == "ai-memory");
        Assert.Equal(9000, aiMemory.Spec.Port);
        Assert.Equal(1, aiMemory.Replicas);
        Assert.Null(aiMemory.Autoscaling);
        Assert.Equal(new GpuSpec("GH200", 1), aiMemory.Spec.Gpu);
        Assert.Equal(new ResourcesSpec(new ResourceQuantities("2", "4Gi"), new ResourceQuantities("4", "8Gi")), aiMemory.Resources);
        Assert.Equal("scoobyjava15/mcp-ai-memory:v2.0.0", aiMemory.Image);

        Assert.Equal(9001, fleet.Servers.Single(s => s.Name == "eliminated").Spec.Port);

        var gong = fleet.Servers.Single(s => s.Name == "gong");
        Assert.Equal(2, gong.Phase);
        Assert.Equal(9005, gong.Spec.Port);
        Assert.Equal(3, gong.Replicas);
        Assert.Equal(new AutoscalingSpec(3, 10, 70, 80), gong.Autoscaling);
        Assert.Equal(6, gong.Spec.Tools);
        Assert.Equal("Sales call analytics", gong.Spec.Description);
        Assert.Equal([new SecretSpec("GONG_API_KEY", "sophia.business.gong.api_key")], gong.Spec.Secrets);
        Assert.Equal(new ResourcesSpec(new ResourceQuantities("1", "2Gi"), new ResourceQuantities("2", "4Gi")), gong.Resources);
        var dependency = Assert.Single(gong.Dependencies);
        Assert.Equal(new ResolvedDependency("ai-memory", 9000, "http://mcp-ai-memory.sophia-ai.svc.cluster.local:9000/mcp"), dependency);
        Assert.Equal("AI_MEMORY_MCP_URL", dependency.VariableName);

        var ports = fleet.Servers.Select(s => s.Spec.Port).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 9000, 9020));
    }

    [Fact]
    public void LoadRenderLint_StdioServersExample_IsCleanWithTheProxyInEveryPod()
    {
        var loaded = FleetLoader.Load(Path.Combine(Golden.RepoRoot(), "examples", "stdio-servers"));
        Assert.Empty(loaded.Diagnostics);
        var fleet = FleetResolver.Resolve(loaded.Spec!);

        var rendered = McpFleet.Rendering.FleetRenderer.Render(fleet);
        var files = McpFleet.Rendering.ManifestTree.Build(rendered);
        var lint = new McpFleet.Linting.Linter(new McpFleet.Linting.LintOptions().WithFleet(fleet))
            .Lint(files.Select(f => new McpFleet.Linting.LintSource(f.RelativePath, f.Content)), TestContext.Current.CancellationToken);

        Assert.Equal("", string.Concat(lint.Findings.Where(f => f.Severity >= McpFleet.Diagnostics.DiagnosticSeverity.Warning).Select(f => f + "\n")));
        Assert.All(fleet.Servers, s => Assert.Equal($"localhost:5000/mcpfleet/proxy:v{FleetDefaults.Version}", s.Proxy!.Image));
        Assert.Equal(
            ["mcpfleet-proxy-install", "mcpfleet-proxy-install", "mcpfleet-proxy"],
            rendered.Servers.Select(s => s.Find<k8s.Models.V1Deployment>()!.Spec.Template.Spec.InitContainers.Single().Name));
    }
}
