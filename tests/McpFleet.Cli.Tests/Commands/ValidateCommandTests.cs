using System.Text.Json;
using McpFleet.Cli;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

public sealed class ValidateCommandTests() : CliHarness("mcpfleet-validate-")
{
    [Fact]
    public async Task Validate_ExampleFleet_ExitsZeroAndSaysValid()
    {
        // Act
        var exit = await RunAsync(Golden.RepoRoot(), "validate", "examples/sophia-ai");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("examples/sophia-ai: valid, 16 servers in 4 phases\n", StdErr.Output.ReplaceLineEndings("\n"));
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task Validate_BrokenFleet_PrintsEachDiagnosticRelativeToTheWorkingDirectoryAndExitsTwo()
    {
        // Arrange
        WriteBrokenFleet();

        // Act
        var exit = await RunAsync(Temp, "validate", "fleet");

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal(
            """
            fleet/values/gong.yaml:2:7: error MCF005: 'port' must be an integer, not a string ("abc")
            fleet/values/gong.yaml:3:10: error MCF005: 'version' must be a quoted string, not a number (2.0); write version: "2.0.0"
            fleet: invalid, 2 errors

            """,
            StdErr.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_JsonFormat_WritesTheReportToStdout()
    {
        // Arrange
        WriteBrokenFleet();

        // Act
        var exit = await RunAsync(Temp, "validate", "fleet", "--format", "json");

        // Assert
        Assert.Equal(2, exit);
        using var report = JsonDocument.Parse(StdOut.Output);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(2, report.RootElement.GetProperty("errors").GetInt32());
        var first = report.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("fleet/values/gong.yaml", first.GetProperty("file").GetString());
        Assert.Equal(2, first.GetProperty("line").GetInt32());
        Assert.Equal(7, first.GetProperty("column").GetInt32());
        Assert.Equal("MCF005", first.GetProperty("code").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal("'port' must be an integer, not a string (\"abc\")", first.GetProperty("message").GetString());
        Assert.Contains("\"message\": \"'port' must", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingDirectory_ExitsTwo()
    {
        // Act
        var exit = await RunAsync(Temp, "validate", "nowhere");

        // Assert
        Assert.Equal(2, exit);
        Assert.StartsWith("nowhere: error MCF003: the fleet directory does not exist", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NoArgument_IsAUsageErrorExitingTwo()
    {
        // Act
        var exit = await RunAsync(Temp, "validate");

        // Assert
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Validate_UnknownFormat_IsAUsageErrorExitingTwo()
    {
        // Act
        var exit = await RunAsync(Golden.RepoRoot(), "validate", "examples/sophia-ai", "--format", "yaml");

        // Assert
        Assert.Equal(2, exit);
        Assert.Contains("yaml", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenExample_PrintsWhatDocsCliMdShows()
    {
        // Arrange: the doc's example, from "$ mcpfleet validate examples/broken" to "$ echo $?".
        var doc = (await File.ReadAllTextAsync(Path.Combine(Golden.RepoRoot(), "docs", "cli.md"), TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        var start = doc.IndexOf("$ mcpfleet validate examples/broken\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/cli.md has no validate example");
        start = doc.IndexOf('\n', start) + 1;
        var shown = doc[start..doc.IndexOf("$ echo $?", start, StringComparison.Ordinal)];

        // Act
        var exit = await RunAsync(Golden.RepoRoot(), "validate", "examples/broken");

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal(shown, StdErr.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_EmptyPath_IsAUsageErrorNotTheWorkingDirectory()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "validate", "");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: fleet-dir is empty: give the fleet directory", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AbsoluteDirectory_PrintsAbsolutePaths()
    {
        WriteBrokenFleet();
        var fleet = Path.Combine(Temp, "fleet");

        var exit = await RunAsync(Golden.RepoRoot(), "validate", fleet);

        Assert.Equal(2, exit);
        Assert.StartsWith($"{fleet}/values/gong.yaml:2:7: error MCF005:", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TerminalEscapesInAKey_AreEscapedInTheDiagnostic()
    {
        // Arrange: a key that would retitle the terminal and clear the screen.
        WriteBrokenFleet();
        await File.AppendAllTextAsync(Path.Combine(Temp, "fleet", "values", "gong.yaml"), "\n\"\\e]0;pwned\\a\\e[2J\\e[31mEVIL\": 1\n", TestContext.Current.CancellationToken);

        // Act
        await RunAsync(Temp, "validate", "fleet");

        // Assert
        Assert.DoesNotContain('\u001b', StdErr.Output);
        Assert.DoesNotContain('\u0007', StdErr.Output);
        Assert.Contains("\\u001B]0;pwned\\u0007\\u001B[2J\\u001B[31mEVIL", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValuesFileThatIsNotUtf8_ReportsTheByteAtLineAndColumn()
    {
        WriteBrokenFleet();
        await File.WriteAllBytesAsync(Path.Combine(Temp, "fleet", "values", "gong.yaml"), [.. "name: gong\nport: 9000\ndescription: caf"u8, 0xE9, .. "\n"u8], TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "validate", "fleet");

        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml:3:17: error MCF001: the file is not UTF-8 text: byte 0xE9 is not valid UTF-8 here; save the file as UTF-8", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NulByteInAValuesFile_ReportsItInsteadOfEndOfStream()
    {
        WriteBrokenFleet();
        await File.WriteAllTextAsync(Path.Combine(Temp, "fleet", "values", "gong.yaml"), "name: gong\nport: 9\0000\n", TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "validate", "fleet");

        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml:2:8: error MCF001: the file holds a NUL byte: binary data, not text", StdErr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("end of stream", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValuesFileThatIsAFifo_IsRefusedWithoutBlocking()
    {
        WriteBrokenFleet();
        var gong = Path.Combine(Temp, "fleet", "values", "gong.yaml");
        File.Delete(gong);
        SpecialFiles.Fifo(gong);

        var exit = await RunAsync(Temp, "validate", "fleet").WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml: error MCF003: the file is a named pipe (FIFO), not a regular file", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValuesFileSymlinkedToADirectory_SaysItIsADirectory()
    {
        WriteBrokenFleet();
        var gong = Path.Combine(Temp, "fleet", "values", "gong.yaml");
        File.Delete(gong);
        File.CreateSymbolicLink(gong, Temp);

        var exit = await RunAsync(Temp, "validate", "fleet");

        Assert.Equal(2, exit);
        Assert.Contains("fleet/values/gong.yaml: error MCF003: the file is a directory, not a file", StdErr.Output, StringComparison.Ordinal);
    }

    private void WriteBrokenFleet()
    {
        var fleet = Path.Combine(Temp, "fleet");
        Directory.CreateDirectory(Path.Combine(fleet, "values"));
        File.WriteAllText(Path.Combine(fleet, "fleet.yaml"), """
            namespace: sophia-ai
            callers: { app: sophia-backend }
            phases:
              - name: business
                servers: [gong]
            """);
        File.WriteAllText(Path.Combine(fleet, "values", "gong.yaml"), """
            name: gong
            port: abc
            version: 2.0
            """);
    }
}
