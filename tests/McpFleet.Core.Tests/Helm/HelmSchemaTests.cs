namespace McpFleet.Core.Tests.Helm;

/// <summary>Bad values files are rejected by Helm itself, through the chart's values.schema.json.</summary>
public sealed class HelmSchemaTests
{
    private static string BadDirectory => Path.Combine(AppContext.BaseDirectory, "testdata", "helm-bad");

    public static TheoryData<string> BadValuesFiles() =>
        [.. Directory.GetFiles(BadDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void BadValuesFiles_CoverAtLeastSixCases()
    {
        Assert.True(BadValuesFiles().Count >= 6);
    }

    // Each file's first line says which message Helm must print: "# expect: <text>".
    [Theory]
    [MemberData(nameof(BadValuesFiles))]
    public async Task HelmTemplate_BadValuesFile_RejectedBySchemaWithMessage(string file)
    {
        var path = Path.Combine(BadDirectory, file);
        var expected = File.ReadLines(path).First().Replace("# expect: ", "", StringComparison.Ordinal);

        var result = await HelmChart.TemplateAsync("mcp-gong", "sophia-ai", [path]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    // The chart's schema and mcpfleet validate accept the same probe paths: the pattern is one string in two files.
    [Fact]
    public void ValuesSchema_ProbePathPattern_IsTheValidatorsPattern()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(HelmChart.Directory, "values.schema.json")))!;

        Assert.Equal(McpFleet.Spec.Validation.SpecText.ProbePathPattern, (string?)schema["definitions"]!["probePath"]!["pattern"]);
        Assert.Equal("#/definitions/probePath", (string?)schema["properties"]!["probes"]!["properties"]!["healthPath"]!["$ref"]);
        Assert.Equal("#/definitions/probePath", (string?)schema["properties"]!["probes"]!["properties"]!["readyPath"]!["$ref"]);
    }

    // What a JSON schema cannot say is checked by the templates, with the same kind of message.
    [Theory]
    [InlineData("gpu-autoscaling", "a GPU server cannot autoscale")]
    [InlineData("wrong-namespace", "fleet.namespace is sophia-ai but the release namespace is default: add --namespace sophia-ai")]
    public async Task HelmTemplate_ValuesTheSchemaCannotCheck_FailWithMessage(string file, string expected)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "helm-chart", file + ".yaml");

        var result = await HelmChart.TemplateAsync("mcp-gong", file == "wrong-namespace" ? "default" : "sophia-ai", [path]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }
}
