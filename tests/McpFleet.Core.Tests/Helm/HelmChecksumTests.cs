using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using McpFleet.Rendering;

namespace McpFleet.Core.Tests.Helm;

/// <summary>The pod template's checksum/config follows server-config.json, so a config change rolls the pods.</summary>
public sealed class HelmChecksumTests
{
    private static string Gong => Path.Combine(AppContext.BaseDirectory, "testdata", "helm-chart", "gong.yaml");

    [Fact]
    public async Task HelmTemplate_Checksum_IsSha256OfTheConfigMapJson()
    {
        var objects = await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", Gong);

        var json = ConfigJson(objects);
        Assert.Equal(
            "{\n  \"name\": \"gong\",\n  \"version\": \"2.0.0\",\n  \"port\": 9005,\n  \"tools\": 6,\n  \"description\": \"Sales call analytics\"\n}\n",
            json);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))), Checksum(objects));
    }

    [Theory]
    [InlineData("description=Sales call analytics v2")]
    [InlineData("tools=7")]
    [InlineData("version=2.0.1")]
    [InlineData("port=9006")]
    public async Task HelmTemplate_ServerConfigChanged_ChecksumChanges(string change)
    {
        var before = Checksum(await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", Gong));

        var after = Checksum(await Objects(change));

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task HelmTemplate_OnlyReplicasChanged_ChecksumUnchanged()
    {
        var before = Checksum(await HelmChart.ObjectsAsync("mcp-gong", "sophia-ai", Gong));

        var after = Checksum(await Objects("replicas=5"));

        Assert.Equal(before, after);
    }

    private static async Task<IReadOnlyList<JsonObject>> Objects(string set)
    {
        var isNumber = set.StartsWith("tools=", StringComparison.Ordinal) || set.StartsWith("port=", StringComparison.Ordinal)
            || set.StartsWith("replicas=", StringComparison.Ordinal);
        var result = await HelmChart.TemplateAsync("mcp-gong", "sophia-ai", [Gong], isNumber ? "--set" : "--set-string", set);
        return ManifestYaml.LoadAllAsJson(result.EnsureSuccess().StandardOutput).Cast<JsonObject>().ToList();
    }

    private static JsonObject Find(IReadOnlyList<JsonObject> objects, string kind) =>
        objects.Single(o => (string?)o["kind"] == kind);

    private static string ConfigJson(IReadOnlyList<JsonObject> objects) =>
        (string)Find(objects, "ConfigMap")["data"]!["server-config.json"]!;

    private static string Checksum(IReadOnlyList<JsonObject> objects) =>
        (string)Find(objects, "Deployment")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]!;
}
