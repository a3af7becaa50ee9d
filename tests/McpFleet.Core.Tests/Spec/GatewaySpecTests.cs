using McpFleet.Spec;

namespace McpFleet.Core.Tests.Spec;

/// <summary>The <c>gateway</c> block of <c>fleet.yaml</c>: what it accepts, its defaults and its errors.</summary>
public sealed class GatewaySpecTests
{
    private const string Fleet = """
        namespace: test
        image: registry.example:5000/team/mcp-{name}:v{version}
        callers:
          app: backend
        secretStore:
          name: store
        phases:
          - name: core
            servers: [alpha, beta]

        """;

    [Fact]
    public void Load_GatewayBlockOmitted_HasNoGateway()
    {
        var fleet = Resolve(Fleet);

        Assert.Null(fleet.Gateway);
    }

    [Fact]
    public void Load_EmptyGatewayBlock_FrontsEveryServerWithDefaults()
    {
        var gateway = Resolve(Fleet + "gateway: {}\n").Gateway;

        Assert.NotNull(gateway);
        Assert.Equal(["alpha", "beta"], gateway.Upstreams.Select(u => u.Server));
        Assert.Equal(["alpha", "beta"], gateway.Upstreams.Select(u => u.Prefix));
        Assert.Equal("http://mcp-alpha.test.svc.cluster.local:9000/mcp", gateway.Upstreams[0].Url);
        Assert.Equal(9020, gateway.Port);
        Assert.Equal($"registry.example:5000/mcpfleet/gateway:v{FleetDefaults.Version}", gateway.Image);
        Assert.Equal(FleetDefaults.Replicas, gateway.Replicas);
        Assert.Equal(FleetDefaults.GatewayResources, gateway.Resources);
        Assert.Null(gateway.Autoscaling);
        Assert.Equal(2, gateway.Phase);
        Assert.Empty(gateway.Secrets);
    }

    [Fact]
    public void Load_GatewayDisabled_HasNoGateway()
    {
        Assert.Null(Resolve(Fleet + "gateway:\n  enabled: false\n  servers: [alpha]\n").Gateway);
    }

    [Fact]
    public void Load_FullGatewayBlock_MapsEveryField()
    {
        var gateway = Resolve(Fleet + """
            gateway:
              name: team-gateway
              image: registry.example/gw:v9
              port: 9010
              autoscaling: { minReplicas: 3, maxReplicas: 5, cpu: 60 }
              servers:
                - name: beta
                  prefix: b
                  tools: ["get_*"]
                  timeout: 30s
                - alpha
              sessionKey: team.gateway.session
              auth:
                callers:
                  - name: backend
                    apiKey: team.gateway.backend
                    tools: ["b_*"]
                    rateLimit: { requestsPerSecond: 2.5, burst: 5 }
                jwt: { issuer: "https://id.example/", audience: gw, jwksUrl: "https://id.example/jwks.json" }
              rateLimit: { requestsPerSecond: 10 }

            """).Gateway!;

        Assert.Equal(["beta", "alpha"], gateway.Upstreams.Select(u => u.Server));
        Assert.Equal(new ResolvedUpstream("beta", 9001, "http://mcp-beta.test.svc.cluster.local:9001/mcp", "b", gateway.Upstreams[0].Tools, "30s", false), gateway.Upstreams[0]);
        Assert.Equal(["get_*"], gateway.Upstreams[0].Tools!);
        Assert.Equal(9010, gateway.Port);
        Assert.Equal("registry.example/gw:v9", gateway.Image);
        Assert.Equal(3, gateway.Replicas);
        Assert.Equal(new AutoscalingSpec(3, 5, 60, 80), gateway.Autoscaling);
        Assert.Equal(
            [new SecretSpec(ResolvedGateway.SessionKeyVariable, "team.gateway.session"), new SecretSpec("MCPFLEET_GATEWAY_API_KEY_BACKEND", "team.gateway.backend")],
            gateway.Secrets);
        Assert.Equal(new GatewayRateLimitSpec(2.5, 5), gateway.Spec.Auth!.Callers[0].RateLimit);
        Assert.Equal(new GatewayJwtSpec("https://id.example/", "gw", "https://id.example/jwks.json"), gateway.Spec.Auth.Jwt);
        Assert.Equal(new GatewayRateLimitSpec(10), gateway.Spec.RateLimit);
    }

    [Fact]
    public void Load_UnknownServersInGateway_ErrorNamesEachWithLocation()
    {
        var diagnostics = Errors(Fleet + "gateway:\n  servers: [alpha, betta, gamma]\n");

        Assert.All(diagnostics, d => Assert.Equal(SpecCodes.UnknownGatewayServer, d.Code));
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal("'gateway.servers' names 'betta', which is not a server of the fleet (no values/betta.yaml); did you mean 'beta'?", diagnostics[0].Message);
        Assert.Contains("'gamma'", diagnostics[1].Message, StringComparison.Ordinal);
        Assert.EndsWith("fleet.yaml", diagnostics[0].Location.File, StringComparison.Ordinal);
        Assert.Equal((11, 20), (diagnostics[0].Location.Line, diagnostics[0].Location.Column));
    }

    [Fact]
    public void Load_StatefulServerWithoutSessionKey_IsAnError()
    {
        var diagnostics = Errors(Fleet + "gateway: {}\n", beta: "sessionMode: stateful\nreplicas: 1\n");

        var error = Assert.Single(diagnostics);
        Assert.Equal(SpecCodes.InvalidGateway, error.Code);
        Assert.Contains("'beta', a stateful server: set 'gateway.sessionKey'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ServerNamedGateway_ClashesWithTheGatewaysObjects()
    {
        var fleet = Fleet.Replace("[alpha, beta]", "[alpha, gateway]", StringComparison.Ordinal) + "gateway: {}\n";

        var error = Assert.Single(Errors(fleet, betaName: "gateway"));

        Assert.Equal(SpecCodes.UnknownGatewayServer, error.Code);
        Assert.Contains("mcp-gateway", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway:\n  servers:\n    - { name: alpha, prefix: x }\n    - { name: beta, prefix: x }\n", SpecCodes.InvalidGateway, "both have the prefix 'x'")]
    [InlineData("gateway:\n  servers:\n    - { name: alpha, prefix: a_b }\n", SpecCodes.InvalidGateway, "may hold only letters, digits")]
    [InlineData("gateway:\n  servers:\n    - { name: alpha, timeout: soon }\n", SpecCodes.InvalidGateway, "'gateway.servers[0].timeout' must be a duration")]
    [InlineData("gateway:\n  servers: []\n", SpecCodes.InvalidGateway, "'gateway.servers' is empty")]
    [InlineData("gateway:\n  port: 8080\n", SpecCodes.PortOutOfRange, "gateway port 8080 is outside")]
    [InlineData("gateway:\n  port: 9001\n", SpecCodes.DuplicatePort, "already used by 'beta'")]
    [InlineData("gateway:\n  rateLimit: { requestsPerSecond: 0 }\n", SpecCodes.InvalidGateway, "must be a number above 0")]
    [InlineData("gateway:\n  auth: { callers: [ { name: ci } ] }\n", SpecCodes.InvalidGateway, "needs a caller with an 'apiKey' or a 'jwt'")]
    [InlineData("gateway:\n  auth:\n    jwt: { issuer: i, audience: a, jwksUrl: \"http://id/jwks\" }\n", SpecCodes.InvalidGateway, "must be an absolute https URL")]
    [InlineData("gateway:\n  auth:\n    callers: [ { name: a-b, apiKey: k1 }, { name: a.b, apiKey: k2 } ]\n", SpecCodes.InvalidGateway, "both keep their key in MCPFLEET_GATEWAY_API_KEY_A_B")]
    [InlineData("gateway:\n  replica: 2\n", SpecCodes.UnknownKey, "did you mean 'replicas'?")]
    [InlineData("gateway:\n  enabled: yes please\n", SpecCodes.WrongType, "'gateway.enabled' must be true or false")]
    public void Load_InvalidGateway_ReportsOneLineWithItsCode(string block, string code, string message)
    {
        var error = Assert.Single(Errors(Fleet + block));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Location.Line > 9, $"{error.Location} points into the gateway block");
    }

    [Fact]
    public void Load_GatewayKeysWithoutSecretStore_AskForOne()
    {
        var fleet = Fleet.Replace("secretStore:\n  name: store\n", "", StringComparison.Ordinal) + "gateway:\n  sessionKey: team.key\n";

        var error = Assert.Single(Errors(fleet));

        Assert.Equal(SpecCodes.InvalidSecretStore, error.Code);
    }

    private static ResolvedFleet Resolve(string fleetYaml)
    {
        using var dir = new FleetDirectory(fleetYaml, "", "beta");
        var result = FleetLoader.Load(dir.Path);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        return FleetResolver.Resolve(result.Spec!);
    }

    private static List<McpFleet.Diagnostics.Diagnostic> Errors(string fleetYaml, string beta = "", string betaName = "beta")
    {
        using var dir = new FleetDirectory(fleetYaml, beta, betaName);
        var result = FleetLoader.Load(dir.Path);
        Assert.False(result.Success);
        return [.. result.Diagnostics.Where(d => d.Severity == McpFleet.Diagnostics.DiagnosticSeverity.Error)];
    }

    private sealed class FleetDirectory : IDisposable
    {
        public FleetDirectory(string fleetYaml, string betaExtra, string betaName)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(Path, "values"));
            File.WriteAllText(System.IO.Path.Combine(Path, "fleet.yaml"), fleetYaml);
            File.WriteAllText(System.IO.Path.Combine(Path, "values", "alpha.yaml"), "name: alpha\nport: 9000\nversion: \"1.0.0\"\n");
            File.WriteAllText(System.IO.Path.Combine(Path, "values", betaName + ".yaml"), $"name: {betaName}\nport: 9001\nversion: \"1.0.0\"\n{betaExtra}");
        }

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcpfleet-gateway-spec-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
