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

    [Fact]
    public async Task Render_OutIsASymlinkToAnEarlierRender_ReplacesTheRenderBehindTheLinkAndKeepsTheLink()
    {
        // Arrange
        var real = Path.Combine(Temp, "renders", "current");
        Assert.Equal(0, await RunAsync(Temp, "render", Example, "--out", real, "--phase", "1"));
        File.CreateSymbolicLink(Out, real);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", Out);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(real, new FileInfo(Out).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(real, "phase-4-advanced")));
    }

    [Fact]
    public async Task Render_OverEarlierRenderWithAUserFile_ListsTheFileItRemoves()
    {
        // Arrange
        Assert.Equal(0, await RunAsync(Temp, "render", Example, "--out", "out"));
        await File.WriteAllTextAsync(Path.Combine(Out, "phase-1-core", "my-patch.yaml"), "mine", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", "out");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains("removed out/phase-1-core/my-patch.yaml: the earlier output had it, the new render does not\n", StdErr.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_KustomizationWithAnAliasBomb_IsCheckedWithoutExpandingItAndRefused()
    {
        // Arrange: nine levels of ten aliases each (10^9 leaves once expanded), plus kind: Kustomization.
        Directory.CreateDirectory(Out);
        var yaml = new System.Text.StringBuilder("kind: Kustomization\nx0: &a0 [x]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"x{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        yaml.Append("resources: *a9\n");
        await File.WriteAllTextAsync(Path.Combine(Out, "Kustomization"), yaml.ToString(), TestContext.Current.CancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", "out");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("error: out exists and is not the output of 'mcpfleet render'; nothing written", StdErr.Output, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Render_EarlierRenderWhoseKustomizationIsAFifo_IsRefusedWithoutBlocking()
    {
        Directory.CreateDirectory(Out);
        SpecialFiles.Fifo(Path.Combine(Out, "Kustomization"));

        var exit = await RunAsync(Temp, "render", Example, "--out", "out").WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("is not the output of 'mcpfleet render'", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_EmptyOut_IsAUsageErrorNotTheWorkingDirectory()
    {
        var exit = await RunAsync(Temp, "render", Example, "--out", "");

        Assert.Equal(2, exit);
        Assert.Contains("error: --out is empty: give the output directory", StdErr.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [Fact]
    public async Task Render_PhaseThatIsNotANumber_SaysWhatAPhaseIs()
    {
        var exit = await RunAsync(Temp, "render", Example, "--out", "out", "--phase", "abc");

        Assert.Equal(2, exit);
        Assert.Contains("error: --phase 'abc': expected a phase number (1 for the first phase)", StdErr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OutWhereNothingCanBeCreated_NamesTheOutNotTheTempPath()
    {
        var exit = await RunAsync(Temp, "render", Example, "--out", "/proc/mcpfleet-nope");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: cannot write /proc/mcpfleet-nope: ", StdErr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", StdErr.Output, StringComparison.Ordinal);
        Assert.EndsWith("; nothing written.\n", StdErr.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_LongErrorLine_IsNotWrappedAtTheConsoleWidth()
    {
        // Arrange: a path far longer than the 80 columns of the test console.
        var deep = Path.Combine(Temp, new string('d', 60), new string('e', 60));
        Directory.CreateDirectory(deep);
        await File.WriteAllTextAsync(Path.Combine(deep, "notes.txt"), "mine", TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "render", Example, "--out", deep);

        // Assert
        Assert.Equal(2, exit);
        Assert.Single(StdErr.Lines, l => l.StartsWith($"error: {deep} exists and is not the output", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_Cancelled_ExitsInterruptedNotFindingsAndKeepsTheEarlierOutput()
    {
        // Arrange
        Assert.Equal(0, await RunAsync(Temp, "render", Example, "--out", "out", "--phase", "1"));
        var before = TestFleets.Snapshot(Out);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // Act: what Ctrl-C or SIGTERM does to a running render.
        var exit = await McpFleetCli.RunAsync(["render", Example, "--out", "out"], Context(StdOut, StdErr, Temp), cancelled.Token);

        // Assert
        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.Contains("error: interrupted (Ctrl-C or SIGTERM)", StdErr.Output, StringComparison.Ordinal);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(Out)));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(Temp).Select(Path.GetFileName));
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
