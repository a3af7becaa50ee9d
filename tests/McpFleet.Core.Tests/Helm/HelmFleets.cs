using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Helm;

/// <summary>The fleets the chart is proven on: the example fleet and the parity cases beyond it.</summary>
internal static class HelmFleets
{
    /// <summary>Gets examples/sophia-ai.</summary>
    public static string Example => Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai");

    /// <summary>Gets examples/sophia-ai-gateway: the example with the gateway in front of its 16 servers.</summary>
    public static string Gateway => Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai-gateway");

    /// <summary>Gets testdata/helm-parity: a GPU server, autoscaling off, dependsOn, host and cidr egress, no secrets.</summary>
    public static string ParityCases => Path.Combine(AppContext.BaseDirectory, "testdata", "helm-parity");

    /// <summary>Loads and resolves a fleet, failing the test with the diagnostics when it is invalid.</summary>
    public static ResolvedFleet Load(string directory)
    {
        var loaded = FleetLoader.Load(directory);
        Assert.True(loaded.Spec is not null, $"{directory} is invalid:\n{string.Join('\n', loaded.Diagnostics)}");
        return FleetResolver.Resolve(loaded.Spec!);
    }
}
