using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D18 and D28: which services become servers, and the options that choose them.</summary>
public sealed class ServiceSelectionTests : IDisposable
{
    private const string Profiled = """
        services:
          gateway:
            image: r/mcp-gateway:v1.0.0
            ports: ["9001:9001"]
          fast-time:
            image: r/mcp-fast-time:v1.0.0
            profiles: [testing]
          plugins:
            image: r/mcp-plugins:v1.0.0
            profiles: [plugins, full]
        """;

    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_ServicesWithProfilesNoneEnabled_LeftOutAsComposeDoes()
    {
        var result = _project.Import(Profiled);

        Assert.Equal(["gateway"], result.Spec!.Servers.Select(s => s.Name));
        var left = result.Report!.Services.Single(s => s.Service == "plugins");
        Assert.Null(left.Server);
        Assert.Contains("pass `--profile plugins`", left.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("testing", new[] { "fast-time", "gateway" })]
    [InlineData("full", new[] { "gateway", "plugins" })]
    [InlineData("*", new[] { "fast-time", "gateway", "plugins" })]
    public void Import_ProfileEnabled_ImportsItsServices(string profile, string[] servers)
    {
        var result = _project.Import(Profiled, o => o with { Profiles = [profile] });

        Assert.Equal(servers, result.Spec!.Servers.Select(s => s.Name));
    }

    [Fact]
    public void Import_UnknownProfile_Mci013WithDidYouMean()
    {
        var result = _project.Import(Profiled, o => o with { Profiles = ["tesing"] });

        Assert.Equal("--profile: error MCI013: no service has the profile 'tesing'; did you mean 'testing'?", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Import_ExcludedService_LeftOutAndUnknownOneIsAnError()
    {
        var excluded = _project.Import(Profiled, o => o with { Profiles = ["*"], Exclude = ["plugins"] });
        var unknown = _project.Import(Profiled, o => o with { Exclude = ["gatway"] });

        Assert.Equal(["fast-time", "gateway"], excluded.Spec!.Servers.Select(s => s.Name));
        Assert.Equal("Left out with `--exclude`", excluded.Report!.Services.Single(s => s.Service == "plugins").Summary);
        Assert.Equal("docker-compose.yml: error MCI008: --exclude names no service: 'gatway'; did you mean 'gateway'?", Assert.Single(unknown.Errors).ToString());
    }

    [Fact]
    public void Import_PortsOption_IsTheFleetRangeAndAssignsFromIt()
    {
        var result = _project.Import(Profiled, o => o with { Profiles = ["*"], Ports = new PortRange(9460, 9465) });

        Assert.Equal(new PortRange(9460, 9465), result.Spec!.Ports);
        Assert.Equal([9460, 9461, 9462], result.Spec.Servers.Select(s => s.Port).Order());
    }

    [Fact]
    public void Import_MoreServersThanPorts_Mci010SaysTheCountAndTheOptions()
    {
        var result = _project.Import(Profiled, o => o with { Profiles = ["*"], Ports = new PortRange(9463, 9465) });

        var error = Assert.Single(result.Errors);
        Assert.Equal("MCI010", error.Code);
        Assert.Equal("3 MCP servers but only 2 ports in 9463-9465: widen the range with --ports MIN-MAX, leave services out with --exclude SERVICE, or enable fewer profiles (--profile)", error.Message);
    }

    [Theory]
    [InlineData("../x", "--namespace: error MCI013: '../x' is not a namespace: a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), e.g. 'x'")]
    [InlineData("Team_A", "--namespace: error MCI013: 'Team_A' is not a namespace: a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), e.g. 'team-a'")]
    public void Import_NamespaceNotADnsLabel_Mci013AndNothingImported(string ns, string expected)
    {
        var result = _project.Import(Profiled, o => o with { Namespace = ns });

        Assert.False(result.Success);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Import_PortRangeInverted_Mci013()
    {
        var result = _project.Import(Profiled, o => o with { Ports = new PortRange(9020, 9000) });

        Assert.Equal("--ports: error MCI013: 9020-9000 is not a port range: MIN-MAX with 1 <= MIN <= MAX <= 65535", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Import_KnownNonMcpServices_LeftOutAsInfrastructure()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9001:9001"]
              proxy:
                image: nginxinc/nginx-unprivileged:1.27
              pool:
                image: edoburu/pgbouncer:1.23.1
              nginx:
                build: ./nginx
              nginx-mcp:
                image: r/nginx-mcp:v1.0.0
            """);

        Assert.Equal(["app", "nginx"], result.Spec!.Servers.Select(s => s.Name).Order());
        Assert.All(["proxy", "pool"], s => Assert.StartsWith("Not an MCP server", result.Report!.Services.Single(r => r.Service == s).Summary, StringComparison.Ordinal));
        Assert.StartsWith("Not an MCP server (service `nginx`)", result.Report!.Services.Single(r => r.Service == "nginx").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OneShotJob_LeftOutWithAWarningRow()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9001:9001"]
              migration:
                image: r/app-tools:v1.0.0
                command: ["alembic", "upgrade", "head"]
                restart: "no"
            """);

        Assert.Equal(["app"], result.Spec!.Servers.Select(s => s.Name));
        var row = Assert.Single(result.Report!.Services.Single(s => s.Service == "migration").Entries, e => e.Field == "(service)");
        Assert.True(row.NeedsAttention);
    }

    [Fact]
    public void Import_SwarmHostPathInRequiredEnvFile_SkippedWithAWarning()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                ports: ["9001:9001"]
                env_file: /etc/mcp/app.env
            """);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var row = Assert.Single(InlineCompose.Rows(result, "app"), r => r.Field == "env_file");
        Assert.True(row.NeedsAttention);
        Assert.Contains("path on the Swarm host", row.Detail, StringComparison.Ordinal);
    }
}
