using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Import.Mapping;
using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import.Mapping;

public sealed class GpuRequirementTests
{
    private static readonly SourceLocation s_at = new("compose.yml", 4, 5);

    [Fact]
    public void Finish_NoGpuField_NoGpu()
    {
        var draft = new ServerDraft("a", "a", s_at);

        new GpuRequirement().Finish(draft);

        Assert.Null(draft.Gpu);
        Assert.Empty(draft.Entries);
    }

    [Fact]
    public void Finish_CountsTypeAndRuntime_OneSpecWithTheLargestCount()
    {
        var draft = new ServerDraft("a", "a", s_at);
        var gpu = new GpuRequirement();

        gpu.Require(1, s_at);
        gpu.Require(2, s_at);
        gpu.RequireType("A100", s_at);
        gpu.RequireRuntimeClass("nvidia", s_at);
        gpu.Finish(draft);

        Assert.Equal(new GpuSpec("A100", 2, "nvidia"), draft.Gpu);
        Assert.Empty(draft.Entries);
    }

    [Fact]
    public void Finish_NoType_TheDocumentsTypeWithAWarning()
    {
        var draft = new ServerDraft("a", "a", s_at);
        var gpu = new GpuRequirement();

        gpu.Require(null, s_at);
        gpu.Finish(draft);

        Assert.Equal(new GpuSpec(FleetDefaults.GpuType, 1, null), draft.Gpu);
        Assert.True(Assert.Single(draft.Entries).NeedsAttention);
    }
}
