using McpFleet.Diagnostics;
using McpFleet.Linting;

namespace McpFleet.Core.Tests.Linting;

/// <summary>
/// findings D22: values of the wrong type were read as defaults (<c>replicas: "two"</c> as one replica) or skipped
/// (<c>containers: notalist</c>), so lint passed manifests the API server rejects. MCP002 reports them where they are.
/// </summary>
public sealed class FieldTypesTests
{
    private static string Deployment(string spec) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: mcp-x, namespace: ns}
        spec:
        {{spec}}
        """;

    private static string PodSpec(string containerExtra) => Deployment($$$"""
          replicas: 2
          selector: {matchLabels: {app: mcp-x}}
          template:
            metadata: {labels: {app: mcp-x}}
            spec:
              containers:
                - name: x
                  image: x:v1
        {{{containerExtra}}}
        """);

    private static List<LintFinding> Mcp002(string yaml) =>
        [.. LintFixtures.LintText(yaml).Findings.Where(f => f.RuleId == "MCP002")];

    [Fact]
    public void Lint_ReplicasAsAWord_ReportsTheTypeInsteadOfOneReplica()
    {
        var result = LintFixtures.LintText(Deployment("  replicas: \"two\"\n  template: {spec: {containers: [{name: x, image: x:v1}]}}"));

        var finding = Assert.Single(result.Findings, f => f.RuleId == "MCP002");
        Assert.Equal((DiagnosticSeverity.Error, 5, 13), (finding.Severity, finding.Location.Line, finding.Location.Column));
        Assert.Equal("spec.replicas must be an integer, not a string (\"two\")", finding.Message);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "MCP022");
    }

    [Fact]
    public void Lint_ContainersNotAList_IsReportedAtTheValue()
    {
        var finding = Assert.Single(Mcp002(Deployment("  replicas: 2\n  template: {spec: {containers: notalist}}")));

        Assert.Equal((6, 33), (finding.Location.Line, finding.Location.Column));
        Assert.Equal("spec.template.spec.containers must be a list, not a string (\"notalist\")", finding.Message);
    }

    [Theory]
    [InlineData("containers: []", "spec.template.spec.containers is empty; a pod needs at least one container")]
    [InlineData("volumes: []", "spec.template.spec.containers is missing; a pod needs at least one container")]
    [InlineData("containers: [notamap]", "spec.template.spec.containers[0] must be a mapping, not a string (\"notamap\")")]
    public void Lint_PodWithoutUsableContainers_IsReported(string podSpec, string expected)
    {
        var finding = Assert.Single(Mcp002(Deployment($"  replicas: 2\n  template: {{spec: {{{podSpec}}}}}")));

        Assert.Equal(expected, finding.Message);
    }

    [Theory]
    [InlineData("memory: 1GB", "resources.requests.memory is not a Kubernetes quantity: '1GB'; did you mean '1Gi'?")]
    [InlineData("memory: \"2 Gi\"", "resources.requests.memory is not a Kubernetes quantity: '2 Gi'; did you mean '2Gi'?")]
    [InlineData("cpu: lots", "resources.requests.cpu is not a Kubernetes quantity: 'lots'; write e.g. 500m, 1, 512Mi or 1Gi")]
    [InlineData("cpu: true", "resources.requests.cpu must be a quantity such as 500m, 1 or 1Gi, not a boolean (true)")]
    public void Lint_RequestThatIsNoQuantity_IsReported(string request, string expected)
    {
        var finding = Assert.Single(Mcp002(PodSpec($"          resources: {{requests: {{{request}}}}}")));

        Assert.Equal("spec.template.spec.containers[0]." + expected, finding.Message);
    }

    [Theory]
    [InlineData("cpu: 500m, memory: 1Gi")]
    [InlineData("cpu: 0.5, memory: 512Mi")]
    [InlineData("cpu: \"1\", memory: 1e9")]
    [InlineData("cpu: 2, memory: 1073741824, nvidia.com/gpu: 1")]
    public void Lint_RequestsThatAreQuantities_AreAccepted(string requests)
    {
        Assert.Empty(Mcp002(PodSpec($"          resources: {{requests: {{{requests}}}, limits: {{{requests}}}}}")));
    }

    [Theory]
    [InlineData("ports: [{containerPort: \"9000\"}]", "ports[0].containerPort must be an integer, not a string (\"9000\"); remove the quotes")]
    [InlineData("ports: [{containerPort: 70000}]", "ports[0].containerPort is 70000; it must be within 1..65535")]
    [InlineData("ports: [{name: mcp}]", "ports[0] has no containerPort")]
    [InlineData("ports: {mcp: 9000}", "ports must be a list, not a mapping")]
    [InlineData("env: {A: b}", "env must be a list, not a mapping")]
    [InlineData("livenessProbe: /health", "livenessProbe must be a mapping, not a string (\"/health\")")]
    public void Lint_ContainerFieldOfTheWrongType_IsReported(string field, string expected)
    {
        var finding = Assert.Single(Mcp002(PodSpec("          " + field)));

        Assert.Equal("spec.template.spec.containers[0]." + expected, finding.Message);
    }

    [Theory]
    [InlineData("annotations: {prometheus.io/scrape: true}", "metadata.annotations.prometheus.io/scrape is a boolean (true); write it as a string: \"true\"")]
    [InlineData("annotations: {prometheus.io/port: 9464}", "metadata.annotations.prometheus.io/port is a number (9464); write it as a string: \"9464\"")]
    [InlineData("labels: {cost-center: 42}", "metadata.labels.cost-center is a number (42); write it as a string: \"42\"")]
    [InlineData("annotations: {a: [1]}", "metadata.annotations.a must be a string, not a list")]
    public void Lint_LabelOrAnnotationThatIsNoString_IsReported(string field, string expected)
    {
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x, namespace: ns, {field}}}\n";

        Assert.Equal(expected, Assert.Single(Mcp002(yaml)).Message);
    }

    [Theory]
    [InlineData("HorizontalPodAutoscaler", "autoscaling/v2", "minReplicas: \"2\"", "spec.minReplicas must be an integer, not a string (\"2\"); remove the quotes")]
    [InlineData("PodDisruptionBudget", "policy/v1", "maxUnavailable: 1.5", "spec.maxUnavailable must be an integer or a string, not a number (1.5)")]
    [InlineData("Service", "v1", "ports: [{port: http}]", "spec.ports[0].port must be an integer, not a string (\"http\")")]
    [InlineData("Service", "v1", "ports: [{port: 80, targetPort: true}]", "spec.ports[0].targetPort must be an integer or a string, not a boolean (true)")]
    public void Lint_BoundsAndPortsOfTheWrongType_AreReported(string kind, string apiVersion, string spec, string expected)
    {
        var yaml = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x, namespace: ns}}\nspec: {{{spec}}}\n";

        Assert.Equal(expected, Assert.Single(Mcp002(yaml)).Message);
    }

    [Fact]
    public void Lint_HpaMinReplicasOfTheWrongType_IsNotAlsoJudgedAsTheDefault()
    {
        var yaml = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x, namespace: ns}\nspec: {minReplicas: two, maxReplicas: 5}\n";

        Assert.DoesNotContain(LintFixtures.LintText(yaml).Findings, f => f.RuleId == "MCP071" && f.Message.Contains("minReplicas is 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_NoInput_ReadsNoObjects()
    {
        // The CLI turns "nothing linted" into exit 2; the linter says how many objects it read.
        var result = new Linter().Lint([new LintSource("<stdin>", "")], TestContext.Current.CancellationToken);

        Assert.Equal((0, 1), (result.ObjectCount, result.Files.Count));
        Assert.Empty(result.Findings);
    }
}
