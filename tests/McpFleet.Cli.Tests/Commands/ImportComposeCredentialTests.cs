using System.Text;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>
/// findings.md D1: whatever shape a credential takes in a Compose project, <c>import compose</c> writes and prints it
/// nowhere: not in <c>fleet.yaml</c>, <c>values/*.yaml</c>, the report file, stdout, stderr or an error message.
/// </summary>
public sealed class ImportComposeCredentialTests() : CliHarness("mcpfleet-import-credentials-")
{
    public static TheoryData<string> Cases => CredentialCases.Names;

    [Fact]
    public void CredentialCorpus_Categories_HoldAtLeastAHundredCases()
    {
        Assert.True(CredentialCases.All.Count >= 100, $"{CredentialCases.All.Count} cases");
        Assert.Equal(CredentialCases.All.Count, CredentialCases.All.Select(c => c.Name).Distinct().Count());
        Assert.All(["name/", "compound/", "default/", "dotenv/", "command/", "error/", "other/"], category =>
            Assert.Contains(CredentialCases.All, c => c.Name.StartsWith(category, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ImportCompose_CredentialCase_LiteralInNoOutputByte(string name)
    {
        // Arrange
        var @case = CredentialCases.All.Single(c => c.Name == name);
        var project = Path.Combine(Temp, "project");
        foreach (var (path, content) in @case.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project, path))!);
            File.WriteAllText(Path.Combine(project, path), content);
        }

        // Guards the case itself: a literal that is not in the input would pass vacuously.
        var input = string.Concat(@case.Files.Values);
        Assert.All(@case.Literals, literal => Assert.Contains(literal, input, StringComparison.Ordinal));
        var output = Path.Combine(Temp, "output");

        // Act
        var run = await RunOnceAsync(project, ["import", "compose", "docker-compose.yml", .. @case.Options, "--out", Path.Combine(output, "fleet"), "--report", Path.Combine(output, "report.md")]);

        // Assert
        Assert.True(run.ExitCode is 0 or 1 or 2, $"exit {run.ExitCode}\n{run.Error}");
        var written = Directory.Exists(output)
            ? Directory.EnumerateFiles(output, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Select(f => (f, File.ReadAllBytes(f)))
            : [];
        var outputs = written.Append(("stdout", Encoding.UTF8.GetBytes(run.Out))).Append(("stderr", Encoding.UTF8.GetBytes(run.Error))).ToList();
        foreach (var literal in @case.Literals)
        {
            var bytes = Encoding.UTF8.GetBytes(literal);
            foreach (var (where, content) in outputs)
            {
                Assert.False(content.AsSpan().IndexOf(bytes) >= 0, $"{name}: {where} holds the credential");
            }
        }

        if (run.ExitCode == 1)
        {
            Assert.Contains("## Needs a person", run.Out, StringComparison.Ordinal);
        }
    }
}
