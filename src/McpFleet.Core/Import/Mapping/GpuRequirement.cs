using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Import.Mapping;

/// <summary>
/// What the GPU fields of a service ask for (device reservations, generic resources, placement constraints,
/// <c>runtime: nvidia</c>), gathered field by field and turned into one <see cref="GpuSpec"/> at the end.
/// </summary>
internal sealed class GpuRequirement
{
    private SourceLocation? _firstSeen;
    private int? _count;
    private string? _type;
    private string? _runtimeClass;

    /// <summary>Records that a field asks for GPUs.</summary>
    /// <param name="count">How many, when the field says.</param>
    /// <param name="location">Where; the first one is where the report's GPU rows point.</param>
    public void Require(int? count, SourceLocation location)
    {
        _firstSeen ??= location;
        if (count is not null)
        {
            _count = Math.Max(_count ?? 0, count.Value);
        }
    }

    /// <summary>Records the GPU type a placement constraint names.</summary>
    /// <param name="type">The node label value.</param>
    /// <param name="location">Where.</param>
    public void RequireType(string type, SourceLocation location)
    {
        _type = type;
        Require(null, location);
    }

    /// <summary>Records the runtime class <c>runtime: nvidia</c> asks for.</summary>
    /// <param name="runtimeClass">The runtime class.</param>
    /// <param name="location">Where.</param>
    public void RequireRuntimeClass(string runtimeClass, SourceLocation location)
    {
        _runtimeClass = runtimeClass;
        Require(null, location);
    }

    /// <summary>Sets <see cref="ServerDraft.Gpu"/> when any field asked for GPUs; a missing type is the default, ⚠.</summary>
    /// <param name="draft">The server.</param>
    public void Finish(ServerDraft draft)
    {
        if (_firstSeen is not { } location)
        {
            return;
        }

        if (_type is null)
        {
            draft.Report("gpu.type", FieldOutcome.Changed, $"no GPU type in the Compose file; set to `{FleetDefaults.GpuType}` (the nodes' gpu-type label): check it", location, true);
        }

        draft.Gpu = new GpuSpec(_type ?? FleetDefaults.GpuType, Math.Max(1, _count ?? 1), _runtimeClass);
    }
}
