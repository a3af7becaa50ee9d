using System.Text.Json;
using McpFleet.Linting;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

public sealed class SarifTests
{
    private static string Sarif(LintResult result)
    {
        using var stream = new MemoryStream();
        LintReportWriter.WriteSarif(result, stream, "0.1.0");
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("document/manifests")]
    [InlineData("kompose/converted")]
    [InlineData("rules/compliant.yaml")]
    public async Task Sarif_ValidatesAgainstTheSarif210Schema(string input)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mcpfleet-lint-{Guid.NewGuid():N}.sarif");
        await File.WriteAllTextAsync(file, Sarif(LintFixtures.Lint(input)), TestContext.Current.CancellationToken);
        try
        {
            var sarifDir = Path.Combine(LintFixtures.Root, "sarif");
            var run = await ExternalTools.RunAsync(ExternalTools.Node,
                [Path.Combine(sarifDir, "validate.cjs"), ExternalTools.NodeModules, Path.Combine(sarifDir, "sarif-2.1.0-subset.schema.json"), file]);

            run.EnsureSuccess();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Sarif_MeetsGitHubCodeScanningRequirements()
    {
        using var doc = JsonDocument.Parse(Sarif(LintFixtures.Lint("document/manifests")));
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Linter.Rules.Count, rules.Count);
        Assert.All(rules, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.False(string.IsNullOrEmpty(r.GetProperty("help").GetProperty("text").GetString()));
        });
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            var index = r.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(rules[index].GetProperty("id").GetString(), r.GetProperty("ruleId").GetString());
            Assert.Contains(r.GetProperty("level").GetString(), (string[])["error", "warning", "note"]);
            var physical = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.StartsWith("document/manifests/", physical.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            Assert.True(physical.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
            Assert.True(physical.GetProperty("region").GetProperty("startColumn").GetInt32() >= 1);
        });
    }

    [Fact]
    public void Json_HasOneEntryPerFindingAndASummary()
    {
        var result = LintFixtures.Lint("document/manifests");
        using var stream = new MemoryStream();
        LintReportWriter.WriteJson(result, stream);

        using var doc = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(result.Findings.Count, doc.RootElement.GetProperty("findings").GetArrayLength());
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal(result.Findings[0].RuleId, first.GetProperty("ruleId").GetString());
        Assert.Equal(result.Findings[0].Location.Line, first.GetProperty("line").GetInt32());
        Assert.Equal(result.Count(McpFleet.Diagnostics.DiagnosticSeverity.Error), doc.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
    }
}
