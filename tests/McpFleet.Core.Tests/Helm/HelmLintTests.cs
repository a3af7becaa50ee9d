namespace McpFleet.Core.Tests.Helm;

/// <summary>`helm lint --strict` is clean with every committed values file and with a hand-written one.</summary>
public sealed class HelmLintTests
{
    public static TheoryData<string> ValuesFiles() =>
    [
        .. Directory.GetFiles(HelmChart.ValuesDirectory, "*.yaml").Select(f => Path.GetRelativePath(McpFleet.Tests.Golden.RepoRoot(), f)).Order(StringComparer.Ordinal),
        Path.Combine("tests", "McpFleet.Core.Tests", "testdata", "helm-chart", "gong.yaml"),
    ];

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task HelmLintStrict_ValuesFile_Clean(string file)
    {
        AssertClean(await HelmChart.LintAsync(Path.Combine(McpFleet.Tests.Golden.RepoRoot(), file), "sophia-ai"));
    }

    // The parity cases reach the GPU, no-HPA and egress branches of the templates, which the example does not all reach.
    [Fact]
    public async Task HelmLintStrict_ParityCaseValues_Clean()
    {
        var fleet = HelmFleets.Load(HelmFleets.ParityCases);
        var dir = Directory.CreateTempSubdirectory("mcpfleet-helm-lint-").FullName;
        try
        {
            var files = McpFleet.Helm.HelmValues.Write(fleet, dir, TestContext.Current.CancellationToken).Files;
            foreach (var file in files)
            {
                AssertClean(await HelmChart.LintAsync(Path.Combine(dir, file.FileName), fleet.Namespace));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertClean(McpFleet.Tests.ToolResult result)
    {
        var output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0, output);
        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
        // Lint reports a template's `fail` only as an INFO line, and then checks nothing after it.
        Assert.DoesNotContain("fail\" message", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", output, StringComparison.Ordinal);
    }
}
