using McpFleet.Import;
using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D12: an imported server keeps the outside hosts it calls, or the report says it has none.</summary>
public sealed class EgressTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_ServerWithoutOutsideHost_WarnsItCanReachOnlyDnsAndDependencies()
    {
        var result = _project.Import("""
            services:
              notes:
                image: r/mcp-notes:v1.0.0
                ports: ["9001:9001"]
                environment:
                  LOG_LEVEL: info
            """);

        var row = Assert.Single(InlineCompose.Rows(result, "notes"), r => r.Field == "(egress)");
        Assert.True(row.NeedsAttention);
        Assert.StartsWith("no outbound host found: this server can reach only DNS and its dependencies", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HostNameValue_BecomesEgressWithHttpsAssumed()
    {
        var result = _project.Import("""
            services:
              github:
                image: r/github-mcp-server:v1.0.0
                ports: ["9001:9001"]
                environment:
                  GITHUB_HOST: ghe.example.com
            """);

        Assert.Equal(["ghe.example.com:443"], Destinations(result));
        var row = Assert.Single(InlineCompose.Rows(result, "github"), r => r.Field == "environment.GITHUB_HOST (egress)");
        Assert.True(row.NeedsAttention);
        Assert.DoesNotContain(InlineCompose.Rows(result, "github"), r => r.Field == "(egress)");
    }

    [Fact]
    public void Import_HostWithCompanionPortAndDatabaseUrl_UseTheirPorts()
    {
        var result = _project.Import("""
            services:
              mailer:
                image: r/mcp-mailer:v1.0.0
                ports: ["9001:9001"]
                environment:
                  SMTP_HOST: mail.example.com
                  SMTP_PORT: "587"
                  DATABASE_URL: postgres://app:${DB_PASSWORD}@db.example.com/app
                  CACHE_URL: redis://cache:6379
            """);

        Assert.Equal(["mail.example.com:587", "db.example.com:5432"], Destinations(result));
        Assert.DoesNotContain(InlineCompose.Rows(result, "mailer"), r => r.NeedsAttention && r.Field.EndsWith("(egress)", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Destinations(ComposeImportResult result) =>
        result.Spec!.Servers[0].Egress.Select(e => $"{e.Host ?? e.Cidr}:{string.Join(",", e.Ports)}");

    [Theory]
    [InlineData("GITHUB_HOST", "github")]
    [InlineData("GITHUB_HOST", "localhost:8080")]
    [InlineData("VERSION_SERVER", "1.5")]
    [InlineData("GITHUB_ORG", "sophia.example")]
    [InlineData("DOCKER_HOST", "host.docker.internal")]
    public void FromHostValue_NotAnOutsideHost_Null(string name, string value) => Assert.Null(EgressHosts.FromHostValue(name, value, null));

    [Theory]
    [InlineData("https://api.gong.io/v2", "api.gong.io", 443)]
    [InlineData("jdbc:postgresql://pg.example.com:6432/app", "pg.example.com", 6432)]
    [InlineData("amqp://mq.example.com/", "mq.example.com", 5672)]
    [InlineData("http://10.1.2.3:8080/x", "10.1.2.3/32", 8080)]
    public void FromUrl_OutsideUrl_DestinationAndPort(string url, string destination, int port)
    {
        var hint = EgressHosts.FromUrl(url);

        Assert.Equal((destination, port), (hint?.Destination, hint?.Port));
    }
}
