using McpFleet.Cli;
using McpFleet.Tests;

namespace McpFleet.Cli.Tests.Commands;

public sealed class ImportComposeCommandTests() : CliHarness("mcpfleet-import-cli-")
{
    private static readonly string s_corpus = Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Core.Tests", "testdata", "compose");
    [Fact]
    public async Task ImportCompose_LiteralSecrets_WritesFleetAndReportExitsOneAndPrintsNoSecret()
    {
        // Arrange
        var fleet = Path.Combine(Temp, "fleet");
        var report = Path.Combine(Temp, "report.md");

        // Act
        var exit = await RunAsync(Path.Combine(s_corpus, "literal-secrets"), "import", "compose", "docker-compose.yml", "--out", fleet, "--report", report);

        // Assert
        Assert.Equal(1, exit);
        Assert.True(File.Exists(Path.Combine(fleet, "fleet.yaml")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(fleet, "values")).Length);
        var printed = StdOut.Output.ReplaceLineEndings("\n");
        Assert.Equal(File.ReadAllText(report), printed);
        Assert.Contains("| `environment.SF_PASSWORD` | changed ⚠ |", printed, StringComparison.Ordinal);
        var secrets = File.ReadAllLines(Path.Combine(s_corpus, "literal-secrets", "secrets.txt")).Where(l => l.Length > 0).ToList();
        var everything = Directory.EnumerateFiles(Temp, "*", SearchOption.AllDirectories).Select(File.ReadAllText).Append(printed).Append(StdErr.Output);
        foreach (var text in everything)
        {
            foreach (var line in text.Split('\n'))
            {
                Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task ImportCompose_CleanFleet_ExitsZero()
    {
        var exit = await RunAsync(Path.Combine(s_corpus, "clean"), "import", "compose", "docker-compose.yml", "--out", Path.Combine(Temp, "fleet"));

        Assert.Equal(0, exit);
        Assert.Contains("Result: clean (exit code 0)", StdOut.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCompose_MultipleFilesEnvFileAndOptions_AppliesThemAll()
    {
        var fleet = Path.Combine(Temp, "fleet");

        var exit = await RunAsync(
            Path.Combine(s_corpus, "multi-file-override"),
            "import", "compose", "docker-compose.yml", "docker-compose.prod.yml", "--env-file", "prod.env",
            "--namespace", "sophia-prod", "--secret-prefix", "prod", "--caller", "app=gateway", "--out", fleet);

        Assert.Equal(1, exit);
        var fleetYaml = File.ReadAllText(Path.Combine(fleet, "fleet.yaml"));
        Assert.Contains("namespace: sophia-prod", fleetYaml, StringComparison.Ordinal);
        Assert.Contains("app: gateway", fleetYaml, StringComparison.Ordinal);
        var github = File.ReadAllText(Path.Combine(fleet, "values", "github.yaml"));
        Assert.Contains("version: \"1.5.1\"", github, StringComparison.Ordinal);
        Assert.Contains("remoteRef: prod.github.github_app_private_key", github, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCompose_InvalidYaml_ExitsTwoWithFileLineAndWritesNothing()
    {
        var fleet = Path.Combine(Temp, "fleet");
        var report = Path.Combine(Temp, "report.md");

        var exit = await RunAsync(Path.Combine(s_corpus, "bad-invalid-yaml"), "import", "compose", "docker-compose.yml", "--out", fleet, "--report", report);

        Assert.Equal(2, exit);
        Assert.StartsWith("docker-compose.yml:6:6: error MCI001: invalid YAML", StdErr.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was written.", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fleet));
        Assert.False(File.Exists(report));
        Assert.Equal("", StdOut.Output);
    }

    [Fact]
    public async Task ImportCompose_OutputDirectoryHoldsOtherFiles_ExitsTwoAndLeavesThem()
    {
        var fleet = Path.Combine(Temp, "fleet");
        Directory.CreateDirectory(fleet);
        File.WriteAllText(Path.Combine(fleet, "notes.txt"), "mine");

        var exit = await RunAsync(Path.Combine(s_corpus, "clean"), "import", "compose", "docker-compose.yml", "--out", fleet);

        Assert.Equal(2, exit);
        Assert.Contains("MCI011", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(fleet).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ImportCompose_OutputIsAPreviousImport_ReplacesIt()
    {
        var fleet = Path.Combine(Temp, "fleet");
        Assert.Equal(1, await RunAsync(Path.Combine(s_corpus, "literal-secrets"), "import", "compose", "docker-compose.yml", "--out", fleet));

        var exit = await RunAsync(Path.Combine(s_corpus, "clean"), "import", "compose", "docker-compose.yml", "--out", fleet);

        Assert.Equal(0, exit);
        Assert.Equal(["github.yaml", "linear.yaml"], Directory.GetFiles(Path.Combine(fleet, "values")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(Temp, ".fleet.*"));
    }

    [Fact]
    public async Task ImportCompose_SwarmStack_ThenValidateRenderAndLintSucceed()
    {
        var stack = Path.Combine(s_corpus, "swarm-stack");
        var fleet = Path.Combine(Temp, "fleet");
        var manifests = Path.Combine(Temp, "manifests");

        Assert.Equal(1, await RunAsync(stack, "import", "compose", "stack.yml", "--out", fleet));
        Assert.Equal(0, await RunAsync(Temp, "validate", "fleet"));
        Assert.Equal(0, await RunAsync(Temp, "render", "fleet", "--out", manifests));

        Assert.True(File.Exists(Path.Combine(manifests, "phase-1-core", "github.yaml")));
        var github = File.ReadAllText(Path.Combine(manifests, "phase-1-core", "github.yaml"));
        Assert.Contains("key: sophia.github.github_token", github, StringComparison.Ordinal);
        Assert.Contains("image: scoobyjava15/mcp-github:v1.4.2", github, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCompose_NoOut_IsAUsageErrorExitingTwo()
    {
        var exit = await RunAsync(Path.Combine(s_corpus, "clean"), "import", "compose", "docker-compose.yml");

        Assert.Equal(2, exit);
    }
}
