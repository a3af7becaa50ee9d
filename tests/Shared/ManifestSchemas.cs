using System.Text.Json.Nodes;

namespace McpFleet.Tests;

/// <summary>
/// Validates Kubernetes objects against the upstream schemas (kubernetes-models and @kubernetes-models/external-secrets)
/// through eng/validate-manifests.mjs and the Node 22 of .tools/. Fails the test with every invalid object named.
/// </summary>
public static class ManifestSchemas
{
    /// <summary>Validates <paramref name="objects"/>, each a JSON object with apiVersion and kind.</summary>
    /// <param name="objects">The objects.</param>
    /// <returns>The number of objects validated.</returns>
    public static async Task<int> ValidateAsync(IEnumerable<JsonNode> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var array = new JsonArray(objects.Select(o => o.DeepClone()).ToArray());
        Assert.True(array.Count > 0, "nothing to validate");
        var result = await ExternalTools.RunAsync(
            ExternalTools.Node,
            [Path.Combine(Golden.RepoRoot(), "eng", "validate-manifests.mjs"), "--modules", ExternalTools.NodeModules],
            stdin: array.ToJsonString());
        Assert.True(
            result.ExitCode == 0,
            $"{result.StandardOutput}{result.StandardError}(eng/validate-manifests.mjs exited {result.ExitCode})");
        return array.Count;
    }
}
