using McpFleet.Spec;
using McpFleet.Tests;
using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Spec;

/// <summary>
/// <see cref="FleetDefaults"/> is the one home of the document's values; the chart's <c>values.yaml</c> spells the
/// fleet-wide ones again because Helm needs them there, so this keeps the two equal.
/// </summary>
public sealed class FleetDefaultsTests
{
    private static YMap ChartFleetValues()
    {
        var path = Path.Combine(Golden.RepoRoot(), "deploy", "helm", "mcp-servers", "values.yaml");
        var read = YamlReader.Read(File.ReadAllText(path));
        Assert.Empty(read.Problems);
        return ((YMap)read.Documents[0].Root!).Map("fleet")!;
    }

    [Fact]
    public void ChartValuesYaml_FleetSection_EqualsFleetDefaults()
    {
        // Arrange
        var fleet = ChartFleetValues();
        var store = fleet.Map("secretStore")!;
        var defaults = fleet.Map("defaults")!;
        var resources = defaults.Map("resources")!;

        // Act
        var chart = new
        {
            Image = fleet.Str("image"),
            Environment = fleet.Str("environment"),
            Store = new SecretStoreSpec(store.Str("name")!, store.Str("kind")!, store.Str("refreshInterval")),
            ApiVersion = fleet.Str("externalSecretApiVersion"),
            MetricsPort = fleet.Number("metricsPort"),
            Monitoring = fleet.Str("monitoringNamespace"),
            Replicas = defaults.Number("replicas"),
            Resources = new ResourcesSpec(
                new ResourceQuantities(resources.Map("requests")!.Str("cpu"), resources.Map("requests")!.Str("memory")),
                new ResourceQuantities(resources.Map("limits")!.Str("cpu"), resources.Map("limits")!.Str("memory"))),
        };

        // Assert
        var expected = new
        {
            Image = (string?)FleetDefaults.ImagePattern,
            Environment = (string?)FleetDefaults.Environment,
            Store = FleetDefaults.SecretStore,
            ApiVersion = (string?)FleetDefaults.ExternalSecretApiVersion,
            MetricsPort = (long?)RuntimeContract.DefaultMetricsPort,
            Monitoring = (string?)FleetDefaults.MonitoringNamespace,
            Replicas = (long?)FleetDefaults.Replicas,
            Resources = FleetDefaults.Resources,
        };
        Assert.Equal(expected, chart);
    }

    [Fact]
    public void Callers_TheDocumentsBackend_OneLabel()
    {
        Assert.Equal([KeyValuePair.Create("app", "sophia-backend")], FleetDefaults.Callers);
    }

    [Theory]
    [InlineData("scoobyjava15/mcp-{name}:v{version}", "scoobyjava15/mcpfleet/gateway:v")]
    [InlineData("localhost:5000/mcpfleet/{name}:v{version}", "localhost:5000/mcpfleet/gateway:v")]
    [InlineData("mcp-{name}:v{version}", "mcpfleet/gateway:v")]
    public void GatewayImage_FleetPattern_FirstSegmentIsTheRegistry(string pattern, string expectedPrefix)
    {
        Assert.Equal(expectedPrefix + FleetDefaults.Version, FleetDefaults.GatewayImage(pattern));
    }

    [Fact]
    public void GatewayPort_HighestFreePortOfTheRange_OrNoneWhenFull()
    {
        Assert.Equal(9020, FleetDefaults.GatewayPort(new PortRange(9000, 9020), [9000, 9001]));
        Assert.Equal(9018, FleetDefaults.GatewayPort(new PortRange(9000, 9020), [9020, 9019]));
        Assert.Null(FleetDefaults.GatewayPort(new PortRange(9000, 9001), [9000, 9001]));
    }
}
