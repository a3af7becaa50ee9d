using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using McpFleet.Helm;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Core.Tests.Helm;

/// <summary>
/// Parity: for every server, the objects of <c>helm template mcp-&lt;server&gt; deploy/helm/mcp-servers -f
/// values/&lt;server&gt;.yaml</c> (real Helm 4) equal those of <c>mcpfleet render</c>, object by object and field by field.
/// Both sides are parsed from the YAML each tool writes, so types count: <c>"1"</c> is not <c>1</c>.
/// </summary>
public sealed class HelmParityTests
{
    /// <summary>
    /// THE list of allowed differences, each a label that only Helm's conventions want; nothing else may differ.
    /// Each is checked for its expected value on the chart's side, then removed from both sides.
    /// </summary>
    private static readonly AllowedDifference[] s_allowed =
    [
        // Helm's best practice labels a chart's objects with the tool that manages them; the renderer says mcpfleet.
        new("app.kubernetes.io/managed-by", Renderer: RuntimeContract.Labels.ManagedByValue, Chart: "Helm"),
        // Helm's best practice: chart name and version on every object; the renderer has no chart.
        new("helm.sh/chart", Renderer: null, Chart: "mcp-servers-" + HelmChart.Version),
    ];

    private static readonly ConcurrentDictionary<string, (ResolvedFleet Fleet, RenderedFleet Rendered)> s_fleets = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Servers()
    {
        var data = new TheoryData<string, string>();
        foreach (var (fleet, directory) in new[] { ("example", HelmFleets.Example), ("parity", HelmFleets.ParityCases) })
        {
            foreach (var server in Fleet(fleet, directory).Fleet.Servers)
            {
                data.Add(fleet, server.Name);
            }
        }

        // The gateway's release (its fleet's servers are the example's, proven above).
        data.Add("gateway", FleetDefaults.GatewayName);
        return data;
    }

    [Fact]
    public void ParityCases_CoverEveryChartBranch()
    {
        var servers = Fleet("parity", HelmFleets.ParityCases).Fleet.Servers.ToList();

        Assert.Contains(servers, s => s.Spec.Gpu is not null);
        Assert.Contains(servers, s => s.Autoscaling is null && s.Spec.Gpu is null && s.Replicas >= 2);
        Assert.Contains(servers, s => s.Dependencies.Count > 0);
        Assert.Contains(servers, s => s.Spec.Egress.Any(e => e.Host is not null) && s.Spec.Egress.Any(e => e.Cidr is not null));
        Assert.Contains(servers, s => s.Spec.Secrets.Count == 0);
        Assert.Contains(servers, s => s.HealthPath != RuntimeContract.HealthPath && s.ReadyPath != RuntimeContract.ReadyPath);
        Assert.Contains(servers, s => s.HealthPath != RuntimeContract.HealthPath && s.ReadyPath == RuntimeContract.ReadyPath);
        Assert.Contains(servers, s => s.Proxy is { Transport: ServerTransport.Stdio, MaxConcurrency: not null, StopTimeout: not null } && s.Spec.Secrets.Count > 0);
        Assert.Contains(servers, s => s.Proxy is { Transport: ServerTransport.Http, UpstreamPort: not null });
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task HelmTemplate_Server_EqualsRenderObjectForObject(string fleetKey, string server)
    {
        var directory = fleetKey switch { "example" => HelmFleets.Example, "gateway" => HelmFleets.Gateway, _ => HelmFleets.ParityCases };
        var (fleet, rendered) = Fleet(fleetKey, directory);
        var objects = rendered.Servers.Append(rendered.Gateway).OfType<RenderedServer>().Single(s => s.Name == server).Objects;
        var expected = ManifestYaml.LoadAllAsJson(ManifestYaml.SerializeAll(objects)).Cast<JsonObject>().ToList();

        var actual = await HelmObjects(fleetKey, fleet, server);

        var differences = Differences(expected, actual);
        Assert.True(differences.Count == 0, $"helm template mcp-{server} differs from mcpfleet render ({fleetKey}):\n  " + string.Join("\n  ", differences));
    }

    // The chart's own defaults (values.yaml) are the resolver's: the document's hand-written values file, with only the
    // callers added, renders like a fleet.yaml that leaves every setting to its default.
    [Fact]
    public async Task HelmTemplate_HandWrittenDocumentValues_EqualsRenderOfADefaultFleet()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "testdata", "helm-defaults");
        var (_, rendered) = Fleet("defaults", directory);
        var expected = ManifestYaml.LoadAllAsJson(ManifestYaml.SerializeAll(rendered.Servers.Single().Objects)).Cast<JsonObject>().ToList();

        var actual = await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", Path.Combine(directory, "chart-values.yaml"));

        var differences = Differences(expected, actual);
        Assert.True(differences.Count == 0, "helm template with the chart's defaults differs from mcpfleet render:\n  " + string.Join("\n  ", differences));
    }

    // A hand-written values file leaves the proxy's image to the chart, which must default it as FleetDefaults.ProxyImage
    // does: the fleet image's registry, mcpfleet/proxy, tagged with appVersion (McpFleet's version).
    [Fact]
    public async Task HelmTemplate_HandWrittenStdioValues_DefaultsTheProxyImageAsTheResolver()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mcpfleet-stdio-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, "name: tool\nport: 9001\nversion: \"1.0.0\"\ntransport: stdio\ncommand: [mcp-server-tool]\nfleet:\n  callers: {app: agent}\n", TestContext.Current.CancellationToken);

            var objects = await HelmChart.ObjectsAsync("mcp-tool", "tools", file);

            var pod = objects.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["spec"]!;
            Assert.Equal(FleetDefaults.ProxyImage(FleetDefaults.ImagePattern), (string?)pod["initContainers"]![0]!["image"]);
            Assert.Equal(["/mcpfleet/mcpfleet-proxy", "stdio", "--", "mcp-server-tool"], pod["containers"]![0]!["command"]!.AsArray().Concat(pod["containers"]![0]!["args"]!.AsArray()).Select(n => (string?)n));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<IReadOnlyList<JsonObject>> HelmObjects(string fleetKey, ResolvedFleet fleet, string server)
    {
        if (fleetKey == "example")
        {
            // The committed file, exactly as the document's `helm install -f values/<server>.yaml` uses it.
            return await HelmChart.ObjectsAsync($"mcp-{server}", fleet.Namespace, Path.Combine(HelmChart.ValuesDirectory, server + ".yaml"));
        }

        var file = Path.Combine(Path.GetTempPath(), $"mcpfleet-parity-{server}-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, HelmValues.Generate(fleet).Single(f => f.Server == server).Yaml);
            return await HelmChart.ObjectsAsync($"mcp-{server}", fleet.Namespace, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (ResolvedFleet Fleet, RenderedFleet Rendered) Fleet(string key, string directory) =>
        s_fleets.GetOrAdd(key, _ =>
        {
            var fleet = HelmFleets.Load(directory);
            return (fleet, FleetRenderer.Render(fleet));
        });

    private static List<string> Differences(IReadOnlyList<JsonObject> expected, IReadOnlyList<JsonObject> actual)
    {
        var differences = new List<string>();
        var e = expected.ToDictionary(ObjectDiff.Key, o => Allow(o, chart: false, differences));
        var a = actual.ToDictionary(ObjectDiff.Key, o => Allow(o, chart: true, differences));
        differences.AddRange(e.Keys.Except(a.Keys).Select(k => $"{k}: only in the renderer's output"));
        differences.AddRange(a.Keys.Except(e.Keys).Select(k => $"{k}: only in the chart's output"));
        foreach (var key in e.Keys.Intersect(a.Keys).Order(StringComparer.Ordinal))
        {
            differences.AddRange(ObjectDiff.Compare(e[key], a[key]).Select(d => key + " " + d));
        }

        return differences;
    }

    // Checks each allowed difference for its expected value on this side, then removes it, in every label map.
    private static JsonObject Allow(JsonObject o, bool chart, List<string> differences)
    {
        var copy = (JsonObject)o.DeepClone();
        foreach (var labels in LabelMaps(copy))
        {
            foreach (var allowed in s_allowed)
            {
                var want = chart ? allowed.Chart : allowed.Renderer;
                var have = (string?)labels[allowed.Label];
                if (have != want)
                {
                    differences.Add($"{ObjectDiff.Key(o)} label {allowed.Label}: {(chart ? "chart" : "renderer")} has '{have}', the allowed difference says '{want}'");
                }

                labels.Remove(allowed.Label);
            }
        }

        return copy;
    }

    private static IEnumerable<JsonObject> LabelMaps(JsonObject o)
    {
        if (o["metadata"]?["labels"] is JsonObject labels)
        {
            yield return labels;
        }

        if (o["spec"]?["template"]?["metadata"]?["labels"] is JsonObject podLabels)
        {
            yield return podLabels;
        }
    }

    private sealed record AllowedDifference(string Label, string? Renderer, string Chart);
}
