using System.Text.Json;
using McpFleet.Cli;
using McpFleet.Tests;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Commands;

public sealed class LintCommandTests() : CliHarness("mcpfleet-lint-")
{
    private const string Fixtures = "tests/McpFleet.Core.Tests/testdata/lint";
    [Fact]
    public async Task Lint_DocumentManifests_GroupsByFileAndExitsOne()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/document/manifests");

        Assert.Equal(1, exit);
        var text = StdOut.Output.ReplaceLineEndings("\n");
        Assert.Contains($"{Fixtures}/document/manifests/8-networkpolicy.yaml\n", text, StringComparison.Ordinal);
        Assert.Contains("  25:3     error   MCP092  NetworkPolicy/mcp-communication: restricts egress but does not allow DNS", text, StringComparison.Ordinal);
        Assert.Contains("17 errors, 24 warnings, 5 info in 7 objects from 8 files", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal); // no colour when the console is not a terminal
    }

    [Fact]
    public async Task Lint_ColourConsole_ColoursSeverities()
    {
        StdOut.EmitAnsiSequences = true;
        StdOut.Colors(Spectre.Console.ColorSystem.Standard);

        await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/rules/MCP011/bad.yaml");

        Assert.Contains("\u001b[", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains("MCP011", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_CompliantBundle_ExitsZero()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/rules/compliant.yaml", "--fail-on", "info");

        Assert.Equal(0, exit);
        Assert.Contains("0 errors, 0 warnings, 0 info in 8 objects from 1 files", StdOut.Output, StringComparison.Ordinal);
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
        using var doc = JsonDocument.Parse(StdOut.Output);
        Assert.Contains(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "MCP072"
            && f.GetProperty("file").GetString() == $"{Fixtures}/kompose/converted/mcp-gong-deployment.yaml" && f.GetProperty("line").GetInt32() == 15);
    }

    [Fact]
    public async Task Lint_SarifFormat_WritesSarif210()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", $"{Fixtures}/document/manifests", "--format", "sarif");

        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(StdOut.Output);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        Assert.Equal("mcpfleet-lint", doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Lint_Stdin_IsLintedAsOneSource()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(Golden.RepoRoot(), Fixtures, "rules", "MCP011", "bad.yaml"), TestContext.Current.CancellationToken);

        var exit = await RunAsync(Golden.RepoRoot(), new StringReader(yaml), "lint", "-");

        Assert.Equal(1, exit);
        Assert.Contains("<stdin>\n", StdOut.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("MCP011", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_ConfigInWorkingDirectory_DisablesRules()
    {
        File.Copy(Path.Combine(Golden.RepoRoot(), Fixtures, "rules", "MCP011", "bad.yaml"), Path.Combine(Temp, "app.yaml"));
        File.WriteAllText(Path.Combine(Temp, ".mcpfleet-lint.yaml"), "rules:\n  MCP011: off\n");

        var exit = await RunAsync(Temp, "lint", "app.yaml");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("MCP011", StdOut.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("lint", "missing.yaml")]
    [InlineData("lint", "x.yaml", "--format", "xml")]
    [InlineData("lint", "x.yaml", "--fail-on", "fatal")]
    [InlineData("lint", "x.yaml", "--config", "nope.yaml")]
    public async Task Lint_UsageErrors_ExitTwo(params string[] args)
    {
        File.WriteAllText(Path.Combine(Temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");

        var exit = await RunAsync(Temp, args);

        Assert.Equal(2, exit);
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task Lint_InvalidConfig_ExitsTwoWithLocation()
    {
        File.WriteAllText(Path.Combine(Temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
        File.WriteAllText(Path.Combine(Temp, "lint.yaml"), "rules:\n  MCP999: off\n");

        var exit = await RunAsync(Temp, "lint", "x.yaml", "--config", "lint.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("lint.yaml:2:3: error MCPLINT: unknown rule 'MCP999'", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_ExampleFleet_RendersInMemoryWithoutWarnings()
    {
        var exit = await RunAsync(Golden.RepoRoot(), "lint", "--fleet", "examples/sophia-ai", "--fail-on", "warning");

        Assert.Equal(0, exit);
        Assert.Contains("rendered:phase-2-business/gong.yaml", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains("0 errors, 0 warnings,", StdOut.Output, StringComparison.Ordinal);
    }
}
