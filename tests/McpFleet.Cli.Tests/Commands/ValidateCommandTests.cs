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
