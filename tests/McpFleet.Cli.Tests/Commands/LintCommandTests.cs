using System.Text.Json;
using McpFleet.Cli;
using McpFleet.Tests;
using Spectre.Console;
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

    // The colour console is set on the in-process CLI; a binary run through MCPFLEET_CLI writes to a pipe and has none.
    [Fact]
    [Trait("InProcessOnly", "true")]
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

    [Fact]
    public async Task Lint_EmptyDirectory_IsNothingToLintAndExitsTwo()
    {
        Directory.CreateDirectory(Path.Combine(Temp, "empty"));

        var exit = await RunAsync(Temp, "lint", "empty");

        Assert.Equal(2, exit);
        Assert.Contains("error: nothing to lint: empty held no Kubernetes object (0 *.yaml/*.yml files read", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_EmptyStdin_IsNothingToLintAndExitsTwo()
    {
        var exit = await RunAsync(Temp, new StringReader(""), "lint", "-");

        Assert.Equal(2, exit);
        Assert.Contains("error: nothing to lint: - held no Kubernetes object", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_DirectoryOfJsonFiles_IsNothingToLintAndExitsTwo()
    {
        Directory.CreateDirectory(Path.Combine(Temp, "json"));
        await File.WriteAllTextAsync(Path.Combine(Temp, "json", "a.json"), "{}", TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "lint", "json");

        Assert.Equal(2, exit);
        Assert.Contains("nothing to lint", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_DanglingSymlinkAnEditorLeftInADirectory_IsSkippedWithAWarning()
    {
        // Arrange: Emacs keeps .#file as a link to user@host.pid while the file is edited.
        var dir = Directory.CreateDirectory(Path.Combine(Temp, "d")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", TestContext.Current.CancellationToken);
        SpecialFiles.DanglingLink(Path.Combine(dir, ".#ns.yaml"));

        // Act
        var exit = await RunAsync(Temp, "lint", "d");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains("warning: skipped d/.#ns.yaml: it is a symbolic link to 'user@host.1234', which does not exist", StdErr.Output, StringComparison.Ordinal);
        Assert.Contains("in 1 objects from 1 files", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_HiddenDirectoryLikeAKilledRendersTempTree_IsNotEntered()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Temp, "d", ".out.tmp-1-0a1b2c3d")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "half.yaml"), "apiVersion: v1\nkind: Namespace\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(Temp, "d", "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "lint", "d");

        Assert.Equal(0, exit);
        Assert.Contains("in 1 objects from 1 files", StdOut.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fifo.yaml", "fifo.yaml: is a named pipe (FIFO), not a regular file")]
    [InlineData("/dev/zero", "/dev/zero: is a character device, not a regular file")]
    public async Task Lint_PathThatIsNotARegularFile_IsRefusedAtOnceWithExitTwo(string path, string message)
    {
        SpecialFiles.Fifo(Path.Combine(Temp, "fifo.yaml"));

        var exit = await RunAsync(Temp, "lint", path).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal([$"error: {message}"], StdErr.Lines);
    }

    [Fact]
    public async Task Lint_FileThatIsNotUtf8_IsAnMcp001FindingAtTheByte()
    {
        await File.WriteAllBytesAsync(Path.Combine(Temp, "bad.yaml"), [.. "apiVersion: v1\nkind: Namespace\nmetadata: {name: "u8, 0xC3, 0x28, .. "}\n"u8], TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "lint", "bad.yaml");

        Assert.Equal(1, exit);
        Assert.Contains("  3:18     error   MCP001  the file is not UTF-8 text: byte 0xC3 is not valid UTF-8 here", StdOut.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", StdOut.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cdir", "error: config file cdir is a directory, not a file")]
    [InlineData("/dev/null", "error: config file /dev/null is a character device, not a regular file")]
    public async Task Lint_ConfigThatIsNotAFile_SaysWhatItIs(string config, string message)
    {
        Directory.CreateDirectory(Path.Combine(Temp, "cdir"));
        await File.WriteAllTextAsync(Path.Combine(Temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", TestContext.Current.CancellationToken);

        var exit = await RunAsync(Temp, "lint", "x.yaml", "--config", config);

        Assert.Equal(2, exit);
        Assert.Equal([message], StdErr.Lines);
    }

    [Fact]
    public async Task Lint_EscapeSequencesInObjectNames_AreEscapedInTheReport()
    {
        await File.WriteAllTextAsync(Path.Combine(Temp, "esc.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"\\e]0;pwned\\a\\e[2J\", namespace: n}\ndata: {}\n", TestContext.Current.CancellationToken);

        await RunAsync(Temp, "lint", "esc.yaml");

        Assert.DoesNotContain("\u001b", StdOut.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains("ConfigMap/\\u001B]0;pwned\\u0007\\u001B[2J", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_RenderedDirectoryAndTheSameFleetInMemory_CountTheSameFilesAndObjects()
    {
        Assert.Equal(0, await RunAsync(Temp, "render", Example, "--out", "out"));
        var onDisk = await RunOnceAsync(Temp, "lint", "out");

        var inMemory = await RunOnceAsync(Temp, "lint", "--fleet", Example);

        var summary = (CliRun run) => run.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1];
        Assert.EndsWith(" objects from 17 files", summary(onDisk), StringComparison.Ordinal);
        Assert.Equal(summary(onDisk), summary(inMemory));
    }

    [Fact]
    public async Task Lint_StandardOutputFull_OneLineAndExitThree()
    {
        // Arrange: stdout behaves as /dev/full does.
        await File.WriteAllTextAsync(Path.Combine(Temp, "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", TestContext.Current.CancellationToken);
        var full = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new GuardedWriter(new FullDisk(), "standard output")) });

        // Act
        var exit = await McpFleetCli.RunAsync(["lint", "x.yaml", "--format", "json"], Context(full, StdErr, Temp), TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal(3, exit);
        Assert.Equal(["error: cannot write to standard output: No space left on device"], StdErr.Lines);
    }

    private sealed class FullDisk : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");

        public override void Write(string? value) => throw new IOException("No space left on device");
    }
}
