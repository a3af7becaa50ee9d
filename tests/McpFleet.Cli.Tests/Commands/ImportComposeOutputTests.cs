using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>How <c>import compose</c> writes its fleet and report: all or nothing, and every failure one MCI line with exit 2.</summary>
public sealed class ImportComposeOutputTests() : CliHarness("mcpfleet-import-out-")
{
    // With an outside host, so that a clean import exits 0 (a server without one is a warning row, D12).
    private const string Compose = "services:\n  a:\n    image: r/mcp-a:v1.0.0\n    ports: [\"9000:9000\"]\n    environment:\n      API_URL: https://api.example.com\n";

    [Theory]
    [InlineData("/", "/: error MCI011: the output directory is the root directory")]
    [InlineData("/sys/mcpfleet-x", "/sys/mcpfleet-x: error MCI011: cannot write the output directory: ")]
    public async Task ImportCompose_OutThatCannotBeWritten_IsOneMci011LineAndExitTwo(string output, string message)
    {
        await WriteComposeAsync();

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--out", output);

        Assert.Equal(2, exit);
        Assert.StartsWith(message, StdErr.Output, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was written.\n", StdErr.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task ImportCompose_ReportIsADirectory_WritesNeitherTheFleetNorTheReport()
    {
        await WriteComposeAsync();
        Directory.CreateDirectory(Path.Combine(Temp, "rdir"));

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--out", "f1", "--report", "rdir");

        Assert.Equal(2, exit);
        Assert.StartsWith("rdir: error MCI011: the report is a directory, not a file", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Temp, "f1")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Temp, "rdir")));
        Assert.Equal(["c.yml", "rdir"], Directory.EnumerateFileSystemEntries(Temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportCompose_ReportWhereNothingCanBeCreated_LeavesThePreviousImportAsItWas()
    {
        // Arrange: a previous import, then a report path that cannot be written.
        await WriteComposeAsync();
        Assert.Equal(0, await RunAsync(Temp, "import", "compose", "c.yml", "--out", "fleet"));
        var before = TestFleets.Snapshot(Path.Combine(Temp, "fleet"));
        await File.WriteAllTextAsync(Path.Combine(Temp, "c.yml"), Compose.Replace("v1.0.0", "v2.0.0", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        // Act
        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--out", "fleet", "--report", "/proc/mcpfleet-report.md");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("/proc/mcpfleet-report.md: error MCI011: cannot write the report: ", StdErr.Output, StringComparison.Ordinal);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(Path.Combine(Temp, "fleet"))));
    }

    [Fact]
    public async Task ImportCompose_EnvFileThatIsAFifo_IsMci002NotABlockedRead()
    {
        await WriteComposeAsync();
        SpecialFiles.Fifo(Path.Combine(Temp, "vars.env"));

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--env-file", "vars.env", "--out", "fleet")
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.StartsWith("vars.env: error MCI002: the file is a named pipe (FIFO), not a regular file", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCompose_EnvFileThatCannotBeRead_IsMci002NotACrash()
    {
        await WriteComposeAsync();

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--env-file", "/proc/self/mem", "--out", "fleet");

        Assert.Equal(2, exit);
        Assert.Contains("error MCI002: the file cannot be read: ", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Temp, "fleet")));
    }

    [Fact]
    public async Task ImportCompose_ComposeFileThatIsNotUtf8_IsMci002AtTheByte()
    {
        await File.WriteAllBytesAsync(Path.Combine(Temp, "c.yml"), [.. "services:\n  a:\n    image: r/"u8, 0xFF, .. "\n"u8], TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--out", "fleet");

        Assert.Equal(2, exit);
        Assert.StartsWith("c.yml:3:14: error MCI002: the file is not UTF-8 text: byte 0xFF", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCompose_OverAPreviousImportWithAUserFile_ListsTheFileItRemoves()
    {
        await WriteComposeAsync();
        Assert.Equal(0, await RunAsync(Temp, "import", "compose", "c.yml", "--out", "fleet"));
        await File.WriteAllTextAsync(Path.Combine(Temp, "fleet", "NOTES.md"), "mine", TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--out", "fleet");

        Assert.Equal(0, exit);
        Assert.Contains("removed fleet/NOTES.md: the previous import had it, the new one does not", StdErr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp), e => Path.GetFileName(e).StartsWith('.'));
    }

    private Task WriteComposeAsync() => File.WriteAllTextAsync(Path.Combine(Temp, "c.yml"), Compose, TestContext.Current.CancellationToken);
}
