using McpFleet.Cli;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

public sealed class RenderCommandTests() : CliHarness("mcpfleet-render-")
{
    private static readonly string s_golden = Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Core.Tests", "Rendering", "Snapshots", "sophia-ai");

    [Fact]
    public async Task Render_ExampleFleet_WritesTheGoldenTree()
    {
        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(Tree(s_golden), Tree(Out));
        foreach (var file in Tree(s_golden))
        {
            Assert.Equal(await ReadAsync(Path.Combine(s_golden, file)), await ReadAsync(Path.Combine(Out, file)));
        }

        Assert.Contains("wrote 22 files (120 objects, 4 phases)", StdErr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public async Task Render_Twice_ReplacesEarlierOutputWithIdenticalBytes()
    {
        // Arrange
        Assert.Equal(0, await RunAsync(Temp, "render", Example, "--out", Out));
        var first = await SnapshotAsync(Out);
        await File.WriteAllTextAsync(Path.Combine(Out, "phase-1-core", "stale.yaml"), "stale", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(first, await SnapshotAsync(Out));
    }

    [Fact]
    public async Task Render_ToStdout_StreamsNamespaceThenEveryServerDocument()
    {
        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", "-");

        // Assert
        Assert.Equal(0, exit);
        var output = StdOut.Output.ReplaceLineEndings("\n");
        Assert.StartsWith("---\napiVersion: v1\nkind: Namespace\n", output, StringComparison.Ordinal);
        Assert.Equal(120, output.Split("---\n").Length - 1);
        Assert.Equal("", StdErr.Output);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Render_PhaseFilter_WritesOnlyThatPhase()
    {
        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out, "--phase", "2");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(["Kustomization", "namespace.yaml", "phase-2-business"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Render_UnknownPhase_ExitsTwoAndWritesNothing()
    {
        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out, "--phase", "9");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("--phase 9: the fleet has phases 1 to 4", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Render_InvalidFleet_PrintsDiagnosticsExitsTwoAndWritesNothing()
    {
        // Arrange
        var fleet = Path.Combine(Temp, "fleet");
        Directory.CreateDirectory(Path.Combine(fleet, "values"));
        await File.WriteAllTextAsync(Path.Combine(fleet, "fleet.yaml"), "namespace: sophia-ai\nphases:\n  - name: core\n    servers: [gong]\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(fleet, "values", "gong.yaml"), "name: gong\nport: abc\nversion: \"2.0.0\"\n", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", "fleet", "--out", "out");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml:2:7: error MCF005: 'port' must be an integer", StdErr.Output, StringComparison.Ordinal);
        Assert.Contains("nothing written", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(["fleet"], Directory.EnumerateFileSystemEntries(Temp).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Render_OverForeignDirectory_RefusesAndLeavesItAlone()
    {
        // Arrange
        Directory.CreateDirectory(Out);
        await File.WriteAllTextAsync(Path.Combine(Out, "notes.txt"), "mine", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("is not the output of 'mcpfleet render'", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Render_OutIsAFile_RefusesAndLeavesItAlone()
    {
        // Arrange
        await File.WriteAllTextAsync(Out, "mine", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("is a file", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal("mine", await ReadAsync(Out));
    }

    [Fact]
    public async Task Render_OverEmptyDirectory_WritesIntoIt()
    {
        // Arrange
        Directory.CreateDirectory(Out);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(Out, "Kustomization")));
    }

    [Fact]
    public async Task Render_WithoutOut_IsAUsageError()
    {
        // Act
        var exit = await RunAsync(Temp, "render", Example);

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("--out", StdErr.Output, StringComparison.Ordinal);
    }

    private string Out => Path.Combine(Temp, "out");

    private static List<string> Tree(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(root, f))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static Task<string> ReadAsync(string path) => File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);

    private static async Task<Dictionary<string, string>> SnapshotAsync(string root)
    {
        var result = new Dictionary<string, string>();
        foreach (var file in Tree(root))
        {
            result[file] = await ReadAsync(Path.Combine(root, file));
        }

        return result;
    }
}
