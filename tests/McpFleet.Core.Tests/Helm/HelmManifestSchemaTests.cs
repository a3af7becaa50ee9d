using System.Text.Json.Nodes;
using McpFleet.Helm;
using McpFleet.Rendering;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Helm;

/// <summary>The chart's output passes the same upstream-schema validation as the renderer's (eng/validate-manifests.mjs).</summary>
public sealed class HelmManifestSchemaTests
{
    [Fact]
    public async Task HelmTemplate_EveryExampleServer_PassesUpstreamSchemas()
    {
        var objects = (await HelmChart.TemplateExampleAsync()).SelectMany(ManifestYaml.LoadAllAsJson).ToList();

        var validated = await ManifestSchemas.ValidateAsync(objects);

        Assert.Equal(objects.Count, validated);
        Assert.Contains(objects, o => (string?)o["kind"] == "ExternalSecret");
        Assert.Contains(objects, o => (string?)o["kind"] == "HorizontalPodAutoscaler");
    }

    // GPU, no HPA, v1beta1 ExternalSecret, egress rules, probes: the parity fleet's chart output.
    [Fact]
    public async Task HelmTemplate_EveryParityCaseServer_PassesUpstreamSchemas()
    {
        var fleet = HelmFleets.Load(HelmFleets.ParityCases);
        var dir = Directory.CreateTempSubdirectory("mcpfleet-helm-schema-").FullName;
        try
        {
            var files = HelmValues.Write(fleet, dir, TestContext.Current.CancellationToken).Files;
            var releases = await Task.WhenAll(files.Select(f =>
                HelmChart.ObjectsAsync("mcp-" + f.Server, fleet.Namespace, Path.Combine(dir, f.FileName))));
            var objects = releases.SelectMany(r => r).Cast<JsonNode>().ToList();

            Assert.Equal(objects.Count, await ManifestSchemas.ValidateAsync(objects));
            Assert.Contains(objects, o => (string?)o["apiVersion"] == "external-secrets.io/v1beta1");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
