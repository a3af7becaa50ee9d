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

    [Fact]
    public async Task HelmValues_OutIsTheFleetsOwnValuesDirectory_RefusesAndWritesNothing()
    {
        // Arrange
        var fleet = TestFleets.Write(Path.Combine(Temp, "f"), 2, "1.0.0");
        var before = TestFleets.Snapshot(fleet);

        // Act
        var exit = await RunAsync(Temp, "helm", "values", "f", "--out", "f/values");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("error: f/values is the values directory of the fleet in ", StdErr.Output, StringComparison.Ordinal);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(fleet)));
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task HelmValues_OutIsTheFleetDirectory_RefusesAndLeavesTheSpecAlone()
    {
        // Arrange: a server named 'fleet' would overwrite fleet.yaml with its values.
        var fleet = Path.Combine(Temp, "g");
        Directory.CreateDirectory(Path.Combine(fleet, "values"));
        await File.WriteAllTextAsync(Path.Combine(fleet, "fleet.yaml"), "namespace: rt\ncallers: {app: x}\nphases:\n  - name: core\n    servers: [fleet]\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(fleet, "values", "fleet.yaml"), "name: fleet\nport: 9000\nversion: \"1.0.0\"\n", TestContext.Current.CancellationToken);
        var before = TestFleets.Snapshot(fleet);

        // Act
        var exit = await RunAsync(Temp, "helm", "values", "g", "--out", "g");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("error: g holds fleet.yaml: it is a fleet directory", StdErr.Output, StringComparison.Ordinal);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(fleet)));
    }

    [Theory]
    [InlineData("/", "error: / is the root directory; nothing written.")]
    [InlineData("-", "error: --out -: helm values writes one file per server, not a stream")]
    public async Task HelmValues_OutThatIsNoValuesDirectory_IsRefused(string output, string message)
    {
        var exit = await RunAsync(Temp, "helm", "values", Example, "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains(message, StdErr.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
        Assert.False(File.Exists("/ai-memory.yaml"));
    }

    [Fact]
    public async Task HelmValues_HandWrittenFileAtAGeneratedName_RefusesAndWritesNothing()
    {
        // Arrange
        var outDir = Path.Combine(Temp, "values");
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "gong.yaml"), "# my own gong values\nreplicas: 9\n", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "helm", "values", Example, "--out", "values");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("error: values holds gong.yaml, which 'mcpfleet helm values' did not write", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(["gong.yaml"], Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task HelmValues_RunThatFails_LeavesEveryOldFileNotAMixOfOldAndNew()
    {
        // Arrange: an earlier run, then a change to every server, then a directory where one file was.
        var fleet = TestFleets.Write(Path.Combine(Temp, "f"), 6, "1.0.0");
        Assert.Equal(0, await RunAsync(Temp, "helm", "values", "f", "--out", "hv"));
        TestFleets.Write(fleet, 6, "9.9.9");
        File.Delete(Path.Combine(Temp, "hv", "s003.yaml"));
        Directory.CreateDirectory(Path.Combine(Temp, "hv", "s003.yaml"));
        var before = TestFleets.Snapshot(Path.Combine(Temp, "hv"));

        // Act
        var exit = await RunAsync(Temp, "helm", "values", "f", "--out", "hv");

        // Assert
        Assert.Equal(2, exit);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(Path.Combine(Temp, "hv"))));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public async Task HelmValues_SecondRun_KeepsHandWrittenFilesAndListsTheStaleGeneratedOnes()
    {
        // Arrange
        var fleet = TestFleets.Write(Path.Combine(Temp, "f"), 3, "1.0.0");
        Assert.Equal(0, await RunAsync(Temp, "helm", "values", "f", "--out", "hv"));
        await File.WriteAllTextAsync(Path.Combine(Temp, "hv", "README.md"), "mine", TestContext.Current.CancellationToken);
        Directory.Delete(fleet, recursive: true);
        TestFleets.Write(fleet, 2, "1.0.0");

        // Act
        var exit = await RunAsync(Temp, "helm", "values", "f", "--out", "hv");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(["README.md", "s000.yaml", "s001.yaml"], Directory.EnumerateFileSystemEntries(Path.Combine(Temp, "hv")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("removed hv/s002.yaml: a generated file of a server no longer in the fleet", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelmValues_AbsoluteOut_PrintsAbsolutePaths()
    {
        var outDir = Path.Combine(Temp, "hv");

        var exit = await RunAsync(Golden.RepoRoot(), "helm", "values", "examples/sophia-ai", "--out", outDir);

        Assert.Equal(0, exit);
        Assert.Contains($"{outDir}/ai-memory.yaml", StdOut.Lines);
        Assert.Contains($"wrote 16 values files to {outDir}", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelmValues_LongCannotWriteError_IsOneLine()
    {
        // Arrange: a file where the directory would be, under a path longer than the console's 80 columns.
        var deep = Path.Combine(Temp, new string('d', 70), "values");
        Directory.CreateDirectory(Path.GetDirectoryName(deep)!);
        await File.WriteAllTextAsync(deep, "x", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "helm", "values", Example, "--out", deep);

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal([$"error: {deep} is a file, not a directory; nothing written."], StdErr.Lines);
    }
}
