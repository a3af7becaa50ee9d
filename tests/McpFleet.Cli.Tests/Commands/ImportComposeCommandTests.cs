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

    [Theory]
    [InlineData("--env-file", "envdir")]
    [InlineData("--env-file", "/proc/self/mem")]
    [InlineData("--env-file", "missing.env")]
    public async Task ImportCompose_EnvFileUnreadableOrOdd_ExitsTwoWithMci002AndNoStackTrace(string option, string value)
    {
        // Arrange
        Directory.CreateDirectory(Path.Combine(Temp, "envdir"));
        File.WriteAllText(Path.Combine(Temp, "c.yml"), "services:\n  a:\n    image: r/mcp-a:v1.0.0\n");

        // Act
        var exit = await RunAsync(Temp, "import", "compose", "c.yml", option, value, "--out", "o");

        // Assert
        Assert.Equal(2, exit);
        var line = StdErr.Output.Split('\n')[0];
        Assert.Contains(": error MCI002: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Temp, "o")));
    }

    [Fact]
    public async Task ImportCompose_DefaultEnvFileIsADirectoryOrServiceEnvFileIsOne_ExitsTwo()
    {
        Directory.CreateDirectory(Path.Combine(Temp, "p1", ".env"));
        File.WriteAllText(Path.Combine(Temp, "p1", "c.yml"), "services:\n  a:\n    image: r/mcp-a:v1.0.0\n");
        Directory.CreateDirectory(Path.Combine(Temp, "p2", "app.env"));
        File.WriteAllText(Path.Combine(Temp, "p2", "c.yml"), "services:\n  a:\n    image: r/mcp-a:v1.0.0\n    env_file: app.env\n");

        var first = await RunOnceAsync(Path.Combine(Temp, "p1"), "import", "compose", "c.yml", "--out", "o");
        var second = await RunOnceAsync(Path.Combine(Temp, "p2"), "import", "compose", "c.yml", "--out", "o");

        Assert.Equal((2, 2), (first.ExitCode, second.ExitCode));
        Assert.StartsWith(".env: error MCI002: the default env file .env is a directory", first.Error, StringComparison.Ordinal);
        Assert.StartsWith("c.yml:4:15: error MCI002: env_file 'app.env' is a directory, not a file", second.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--namespace", "../x", "--namespace: error MCI013: '../x' is not a namespace")]
    [InlineData("--ports", "9000", "error: --ports expects MIN-MAX (e.g. 9000-9099), got '9000'")]
    [InlineData("--ports", "9020-9000", "--ports: error MCI013: 9020-9000 is not a port range")]
    [InlineData("--profile", "no such", "--profile: error MCI013: 'no such' is not a Compose profile name")]
    public async Task ImportCompose_BadOptionValue_ExitsTwoWithAMessageAndWritesNothing(string option, string value, string message)
    {
        var fleet = Path.Combine(Temp, "fleet");

        var exit = await RunAsync(Path.Combine(s_corpus, "clean"), "import", "compose", "docker-compose.yml", option, value, "--out", fleet);

        Assert.Equal(2, exit);
        Assert.StartsWith(message, StdErr.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fleet));
    }

    [Fact]
    public async Task ImportCompose_ProfileExcludeAndPorts_AppliedFromTheCommandLine()
    {
        File.WriteAllText(Path.Combine(Temp, "c.yml"), """
            services:
              a:
                image: r/mcp-a:v1.0.0
                environment: {A_URL: "https://api.example.com"}
              b:
                image: r/mcp-b:v1.0.0
                profiles: [extra]
              c:
                image: r/mcp-c:v1.0.0
                profiles: [extra]
            """);

        var exit = await RunAsync(Temp, "import", "compose", "c.yml", "--profile", "extra", "--exclude", "c", "--ports", "9100-9109", "--out", "fleet");

        Assert.Equal(1, exit);
        Assert.Equal(["a.yaml", "b.yaml"], Directory.GetFiles(Path.Combine(Temp, "fleet", "values")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("ports: {min: 9100, max: 9109}", File.ReadAllText(Path.Combine(Temp, "fleet", "fleet.yaml")), StringComparison.Ordinal);
    }
}
