using System.Text.Json;
using McpFleet.Cli;
using McpFleet.Tests;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Commands;

public sealed class LintCommandTests : IDisposable
{
    private const string Fixtures = "tests/McpFleet.Core.Tests/testdata/lint";
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-lint-").FullName;
    private readonly TestConsole _out = new();
    private readonly TestConsole _error = new();

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task Lint_DocumentManifests_GroupsByFileAndExitsOne()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/document/manifests");

        Assert.Equal(1, exit);
        var text = _out.Output.ReplaceLineEndings("\n");
        Assert.Contains($"{Fixtures}/document/manifests/8-networkpolicy.yaml\n", text, StringComparison.Ordinal);
        Assert.Contains("  25:3     error   MCP092  NetworkPolicy/mcp-communication: restricts egress but does not allow DNS", text, StringComparison.Ordinal);
        Assert.Contains("17 errors, 24 warnings, 5 info in 7 objects from 8 files", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal); // no colour when the console is not a terminal
    }

    [Fact]
    public async Task Lint_ColourConsole_ColoursSeverities()
    {
        _out.EmitAnsiSequences = true;
        _out.Colors(Spectre.Console.ColorSystem.Standard);

        await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/rules/MCP011/bad.yaml");

        Assert.Contains("\u001b[", _out.Output, StringComparison.Ordinal);
        Assert.Contains("MCP011", _out.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_CompliantBundle_ExitsZero()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/rules/compliant.yaml", "--fail-on", "info");

        Assert.Equal(0, exit);
        Assert.Contains("0 errors, 0 warnings, 0 info in 8 objects from 1 files", _out.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error", 0)]
    [InlineData("warning", 1)]
    public async Task Lint_FailOn_SetsTheThreshold(string failOn, int expected)
    {
        // Only warnings: the kompose NetworkPolicy alone.
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/rules/MCP080/bad.yaml", "--fail-on", failOn);

        Assert.Equal(expected, exit);
    }

    [Fact]
    public async Task Lint_JsonFormat_WritesOnlyJsonToStdout()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/kompose/converted", "--format", "json");

        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(_out.Output);
        Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "MCP072"
            && f.GetProperty("file").GetString() == $"{Fixtures}/kompose/converted/mcp-gong-deployment.yaml" && f.GetProperty("line").GetInt32() == 15);
    }

    [Fact]
    public async Task Lint_SarifFormat_WritesSarif210()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/document/manifests", "--format", "sarif");

        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(_out.Output);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        Assert.Equal("mcpfleet-lint", doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Lint_Stdin_IsLintedAsOneSource()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(Golden.RepoRoot(), Fixtures, "rules", "MCP011", "bad.yaml"), TestContext.Current.CancellationToken);

        var exit = await RunAsync(Golden.RepoRoot(), new StringReader(yaml), "lint", "-");

        Assert.Equal(1, exit);
        Assert.Contains("<stdin>\n", _out.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("MCP011", _out.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_ConfigInWorkingDirectory_DisablesRules()
    {
        File.Copy(Path.Combine(Golden.RepoRoot(), Fixtures, "rules", "MCP011", "bad.yaml"), Path.Combine(_temp, "app.yaml"));
        File.WriteAllText(Path.Combine(_temp, ".mcpfleet-lint.yaml"), "rules:\n  MCP011: off\n");

        var exit = await RunAsync(_temp, "lint", "app.yaml");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("MCP011", _out.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("lint", "missing.yaml")]
    [InlineData("lint", "x.yaml", "--format", "xml")]
    [InlineData("lint", "x.yaml", "--fail-on", "fatal")]
    [InlineData("lint", "x.yaml", "--config", "nope.yaml")]
    public async Task Lint_UsageErrors_ExitTwo(params string[] args)
    {
        File.WriteAllText(Path.Combine(_temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");

        var exit = await RunAsync(_temp, args);

        Assert.Equal(2, exit);
        Assert.Equal("", _out.Output);
    }

    [Fact]
    public async Task Lint_InvalidConfig_ExitsTwoWithLocation()
    {
        File.WriteAllText(Path.Combine(_temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
        File.WriteAllText(Path.Combine(_temp, "lint.yaml"), "rules:\n  MCP999: off\n");

        var exit = await RunAsync(_temp, "lint", "x.yaml", "--config", "lint.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("lint.yaml:2:3: error MCPLINT: unknown rule 'MCP999'", _error.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_ExampleFleet_RendersInMemoryWithoutWarnings()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", "--fleet", "examples/sophia-ai", "--fail-on", "warning");

        Assert.Equal(0, exit);
        Assert.Contains("rendered:phase-2-business/gong.yaml", _out.Output, StringComparison.Ordinal);
        Assert.Contains("0 errors, 0 warnings,", _out.Output, StringComparison.Ordinal);
    }

    private Task<int> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, TextReader.Null, args);

    private Task<int> RunAsync(string workingDirectory, TextReader input, params string[] args) =>
        McpFleetCli.RunAsync(args, new CliContext(_out, _error, TimeProvider.System, workingDirectory) { Input = input }, TestContext.Current.CancellationToken);
}
