namespace McpFleet.Core.Tests.Import;

/// <summary>findings.md D27 and D28: the report's advice is advice the fleet spec can follow, and typos are named.</summary>
public sealed class FieldNotesTests : IDisposable
{
    private readonly InlineCompose _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Import_MisspeltField_DidYouMean()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                enviroment:
                  LOG_LEVEL: info
            """);

        var row = Assert.Single(InlineCompose.Rows(result, "app"), r => r.Field == "enviroment");
        Assert.True(row.NeedsAttention);
        Assert.StartsWith("not a Compose field; did you mean `environment`?", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_SwarmNodeConstraint_AdviceNamesAKustomizePatchNotASpecKey()
    {
        var result = _project.Import("""
            services:
              app:
                image: r/mcp-app:v1.0.0
                deploy:
                  placement:
                    constraints: ["node.role == worker"]
            """);

        var row = Assert.Single(InlineCompose.Rows(result, "app"), r => r.Field == "deploy.placement.constraints[0]");
        Assert.Contains("the fleet spec has no node selector", row.Detail, StringComparison.Ordinal);
        Assert.Contains("Kustomize patch", row.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("by hand", row.Detail, StringComparison.Ordinal);
    }
}
