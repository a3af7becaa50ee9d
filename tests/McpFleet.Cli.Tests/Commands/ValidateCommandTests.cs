using System.Text.Json;
using McpFleet.Cli;
using McpFleet.Tests;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-validate-").FullName;
    private readonly TestConsole _out = new();
    private readonly TestConsole _error = new();

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Validate_ExampleFleet_ExitsZeroAndSaysValid()
    {
        // Act
        var exit = await RunAsync(Golden.RepoRoot(), "validate", "examples/sophia-ai");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("examples/sophia-ai: valid, 16 servers in 4 phases\n", _error.Output.ReplaceLineEndings("\n"));
        Assert.Equal("", _out.Output);
    }

    [Fact]
    public async Task Validate_BrokenFleet_PrintsEachDiagnosticRelativeToTheWorkingDirectoryAndExitsTwo()
    {
        // Arrange
        WriteBrokenFleet();

        // Act
        var exit = await RunAsync(_temp, "validate", "fleet");

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal(
            """
            fleet/values/gong.yaml:2:7: error MCF005: 'port' must be an integer, not a string ("abc")
            fleet/values/gong.yaml:3:10: error MCF005: 'version' must be a quoted string, not a number (2.0); write version: "2.0.0"
            fleet: invalid, 2 errors

            """,
            _error.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_JsonFormat_WritesTheReportToStdout()
    {
        // Arrange
        WriteBrokenFleet();

        // Act
        var exit = await RunAsync(_temp, "validate", "fleet", "--format", "json");

        // Assert
        Assert.Equal(2, exit);
        using var report = JsonDocument.Parse(_out.Output);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(2, report.RootElement.GetProperty("errors").GetInt32());
        var first = report.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("fleet/values/gong.yaml", first.GetProperty("file").GetString());
        Assert.Equal(2, first.GetProperty("line").GetInt32());
        Assert.Equal(7, first.GetProperty("column").GetInt32());
        Assert.Equal("MCF005", first.GetProperty("code").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal("'port' must be an integer, not a string (\"abc\")", first.GetProperty("message").GetString());
        Assert.Contains("\"message\": \"'port' must", _out.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingDirectory_ExitsTwo()
    {
        // Act
        var exit = await RunAsync(_temp, "validate", "nowhere");

        // Assert
        Assert.Equal(2, exit);
        Assert.StartsWith("nowhere: error MCF003: the fleet directory does not exist", _error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NoArgument_IsAUsageErrorExitingTwo()
    {
        // Act
        var exit = await RunAsync(_temp, "validate");

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
        Assert.Contains("yaml", _error.Output, StringComparison.Ordinal);
    }

    private void WriteBrokenFleet()
    {
        var fleet = Path.Combine(_temp, "fleet");
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

    private Task<int> RunAsync(string workingDirectory, params string[] args) =>
        McpFleetCli.RunAsync(args, new CliContext(_out, _error, TimeProvider.System, workingDirectory), TestContext.Current.CancellationToken);
}
