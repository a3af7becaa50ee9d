using McpFleet.Cli;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

public sealed class HelmValuesCommandTests() : CliHarness("mcpfleet-helm-values-")
{
    [Fact]
    public async Task HelmValues_ExampleFleet_WritesOneFilePerServerAndListsThem()
    {
        var outDir = Path.Combine(Temp, "values");

        var exit = await RunAsync(Golden.RepoRoot(), "helm", "values", "examples/sophia-ai", "--out", outDir);

        Assert.Equal(0, exit);
        Assert.Equal(16, Directory.GetFiles(outDir, "*.yaml").Length);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
        Assert.Equal(16, StdOut.Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length);
        Assert.Contains("wrote 16 values files", StdErr.Output, StringComparison.Ordinal);
        // The committed files are what the verb writes (the Core tests fail on any stale byte; this checks the verb).
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(Golden.RepoRoot(), "deploy", "helm", "mcp-servers", "values", "gong.yaml"), TestContext.Current.CancellationToken),
            await File.ReadAllTextAsync(Path.Combine(outDir, "gong.yaml"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HelmValues_InvalidFleet_PrintsDiagnosticsExitsTwoAndWritesNothing()
    {
        var fleet = Path.Combine(Temp, "fleet");
        Directory.CreateDirectory(Path.Combine(fleet, "values"));
        File.WriteAllText(Path.Combine(fleet, "fleet.yaml"), "namespace: sophia-ai\ncallers: { app: sophia-backend }\nphases:\n  - name: business\n    servers: [gong]\n");
        File.WriteAllText(Path.Combine(fleet, "values", "gong.yaml"), "name: gong\nport: abc\nversion: \"2.0.0\"\n");

        var exit = await RunAsync(Temp, "helm", "values", "fleet", "--out", "out");

        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml:2:7: error MCF005:", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Temp, "out")));
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task HelmValues_NoOut_UsageErrorExitsTwo()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "helm", "values", "examples/sophia-ai");

        Assert.Equal(2, exit);
    }
}
