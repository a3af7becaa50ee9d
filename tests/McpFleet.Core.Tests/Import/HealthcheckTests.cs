using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D6 (import side): a Compose healthcheck's HTTP path becomes the probe paths, or a ⚠ says why not.</summary>
public sealed class HealthcheckTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("[\"CMD\", \"curl\", \"-f\", \"http://127.0.0.1:9000/healthz\"]")]
    [InlineData("curl -fsS http://localhost:9000/healthz || exit 1")]
    [InlineData("[\"CMD-SHELL\", \"wget -qO- http://0.0.0.0:9000/healthz\"]")]
    public void Import_HealthcheckGetsAnotherPath_BecomesProbePathsInTheValuesFile(string test)
    {
        var result = _project.Import($$"""
            services:
              atlassian:
                image: r/mcp-atlassian:v1.0.0
                ports: ["9000:9000"]
                environment: {JIRA_URL: "https://acme.atlassian.net"}
                healthcheck:
                  test: {{test}}
                  start_period: 90s
            """);

        var probes = result.Spec!.Servers[0].Probes!;
        Assert.Equal(("/healthz", "/healthz", 45), (probes.HealthPath, probes.ReadyPath, probes.StartupFailureThreshold));
        var row = Assert.Single(InlineCompose.Rows(result, "atlassian"), r => r.Field == "healthcheck");
        Assert.False(row.NeedsAttention);
        Assert.Contains("probes:\n  startupFailureThreshold: 45\n  healthPath: /healthz\n  readyPath: /healthz\n", FleetSpecYamlWriter.WriteServer(result.Spec.Servers[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HealthcheckNotAnHttpGet_Warns()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9000:9000"]
                healthcheck:
                  test: ["CMD", "/app/healthcheck"]
            """);

        Assert.Null(result.Spec!.Servers[0].Probes);
        Assert.True(Assert.Single(InlineCompose.Rows(result, "app"), r => r.Field == "healthcheck").NeedsAttention);
    }

    [Fact]
    public void Import_HealthcheckOnAnotherPort_Warns()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9000:9000"]
                healthcheck:
                  test: ["CMD", "curl", "-f", "http://localhost:8081/health"]
            """);

        var row = Assert.Single(InlineCompose.Rows(result, "app"), r => r.Field == "healthcheck");
        Assert.True(row.NeedsAttention);
        Assert.Contains("it checks port 8081", row.Detail, StringComparison.Ordinal);
    }
}
