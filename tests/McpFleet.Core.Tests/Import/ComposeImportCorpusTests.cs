using McpFleet.Import;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Import;

public sealed class ComposeImportCorpusTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-import-").FullName;

    public static TheoryData<string> Cases => ComposeCorpus.Names(bad: false);

    public static TheoryData<string> BadCases => ComposeCorpus.Names(bad: true);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_CorpusCase_MatchesGoldenFleetAndReport(string name)
    {
        var corpus = ComposeCorpus.Load(name);
        var (fleetDir, report) = ImportAndWrite(corpus);

        var written = Directory.EnumerateFiles(fleetDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(fleetDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in written)
        {
            Golden.Match(Path.Combine(corpus.Expected, "fleet", file), File.ReadAllText(Path.Combine(fleetDir, file)));
        }

        Golden.Match(Path.Combine(corpus.Expected, "files.txt"), string.Join("\n", written) + "\n");
        Golden.Match(Path.Combine(corpus.Expected, "report.md"), report);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_CorpusCase_NoSecretValueInAnyOutputFileOrReportLine(string name)
    {
        var corpus = ComposeCorpus.Load(name);
        var secrets = corpus.SecretValues();
        var (fleetDir, report) = ImportAndWrite(corpus);

        var outputs = Directory.EnumerateFiles(fleetDir, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(fleetDir, f), File.ReadAllText(f)))
            .Append(("report", report));
        foreach (var (file, text) in outputs)
        {
            foreach (var line in text.Split('\n'))
            {
                foreach (var secret in secrets)
                {
                    Assert.False(line.Contains(secret, StringComparison.Ordinal), $"{name}: {file} contains a secret value from the inputs");
                }
            }
        }
    }

    [Fact]
    public void SecretScan_CorpusWithCredentials_FindsTheValuesItGuards()
    {
        // Guards the scan itself: a scan that collects nothing would pass vacuously.
        Assert.Contains("sk-proj-4fJq9ZtX2mLk8VbN3cRw7HyT1aQs6DeU0pOi", ComposeCorpus.Load("literal-secrets").SecretValues());
        Assert.Contains("Pg-dev-Passw0rd!2024", ComposeCorpus.Load("literal-secrets").SecretValues());
        Assert.Contains("ghp_aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2", ComposeCorpus.Load("non-mcp").SecretValues());
        Assert.Contains("gong_ak_5TzQ8rW2xY7vB4nM1kL9pJ3h", ComposeCorpus.Load("env-file").SecretValues());
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Import_BadInput_FailsWithLocatedErrorsAndNothingWritten(string name)
    {
        var corpus = ComposeCorpus.Load(name);

        var result = corpus.Import();

        Assert.False(result.Success);
        Assert.Null(result.Report);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.True(e.Location.Line > 0, $"{e} has no line"));
        Golden.Match(Path.Combine(corpus.Expected, "errors.txt"), string.Join("\n", result.Errors) + "\n");
    }

    [Fact]
    public void Import_CleanFleet_NeedsNoPerson()
    {
        var result = ComposeCorpus.Load("clean").Import();

        Assert.True(result.Success);
        Assert.False(result.NeedsAttention, string.Join("\n", result.Report!.Attention));
    }

    private (string FleetDir, string Report) ImportAndWrite(ComposeCorpus corpus)
    {
        var result = corpus.Import();
        Assert.True(result.Success, string.Join("\n", result.Errors));
        var fleetDir = Path.Combine(_temp, corpus.Name);
        Assert.Null(FleetDirectoryWriter.Write(result.Spec!, fleetDir, ComposeImporter.FleetHeader(result.Report!)));
        return (fleetDir, ImportReportMarkdown.Format(result.Report!, "fleet"));
    }
}
