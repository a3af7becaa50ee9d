using System.Text.Json.Nodes;
using McpFleet.Rendering;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Helm;

/// <summary>Runs real Helm 4 (from .tools/, installed by eng/tools.sh) on deploy/helm/mcp-servers.</summary>
internal static class HelmChart
{
    /// <summary>Gets the chart directory.</summary>
    public static string Directory => Path.Combine(Golden.RepoRoot(), "deploy", "helm", "mcp-servers");

    /// <summary>Gets the committed values directory of examples/sophia-ai.</summary>
    public static string ValuesDirectory => Path.Combine(Directory, "values");

    /// <summary>Gets the chart's version, from Chart.yaml.</summary>
    public static string Version => File.ReadLines(Path.Combine(Directory, "Chart.yaml"))
        .Single(l => l.StartsWith("version:", StringComparison.Ordinal))["version:".Length..].Trim();

    // Helm is a Go process of ~80 ms; a few at once keep a 2-core machine usable for the other builds.
    private static readonly SemaphoreSlim s_gate = new(3);

    /// <summary>Runs <c>helm template &lt;release&gt; chart -f file... --namespace ns [extra]</c>.</summary>
    public static Task<ToolResult> TemplateAsync(string release, string ns, IEnumerable<string> valuesFiles, params string[] extra) =>
        RunAsync(["template", release, Directory, "--namespace", ns, .. valuesFiles.SelectMany(f => new[] { "-f", f }), .. extra]);

    /// <summary>Runs <c>helm lint --strict chart -f file --namespace ns</c>.</summary>
    public static Task<ToolResult> LintAsync(string valuesFile, string ns) =>
        RunAsync(["lint", "--strict", Directory, "-f", valuesFile, "--namespace", ns]);

    /// <summary>Runs <c>helm template</c> for every committed values file of the example fleet, in file-name order.</summary>
    public static async Task<IReadOnlyList<string>> TemplateExampleAsync()
    {
        var files = System.IO.Directory.GetFiles(ValuesDirectory, "*.yaml").Order(StringComparer.Ordinal);
        return await Task.WhenAll(files.Select(async f =>
            (await TemplateAsync("mcp-" + Path.GetFileNameWithoutExtension(f), "sophia-ai", [f])).EnsureSuccess().StandardOutput));
    }

    /// <summary>Runs <c>helm package chart -d dir</c>.</summary>
    public static Task<ToolResult> PackageAsync(string destination) =>
        RunAsync(["package", Directory, "-d", destination]);

    /// <summary>Renders and parses the objects of one release.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ObjectsAsync(string release, string ns, params string[] valuesFiles)
    {
        var result = (await TemplateAsync(release, ns, valuesFiles)).EnsureSuccess();
        return ManifestYaml.LoadAllAsJson(result.StandardOutput).Cast<JsonObject>().ToList();
    }

    private static async Task<ToolResult> RunAsync(string[] arguments)
    {
        var helm = ExternalTools.Helm;
        await s_gate.WaitAsync();
        try
        {
            // A private HOME-less config keeps Helm from reading the user's repositories or plugins.
            return await ExternalTools.RunAsync(helm, arguments, environment: new Dictionary<string, string>
            {
                ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "mcpfleet-helm-config"),
                ["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "mcpfleet-helm-cache"),
                ["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "mcpfleet-helm-data"),
                ["NO_COLOR"] = "1",
            });
        }
        finally
        {
            s_gate.Release();
        }
    }
}
