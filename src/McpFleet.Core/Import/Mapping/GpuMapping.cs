using System.Globalization;

namespace McpFleet.Import.Mapping;

/// <summary>
/// The GPU fields: device reservations, Swarm generic resources, GPU placement constraints and <c>runtime</c>. Each
/// adds to the service's <see cref="GpuRequirement"/>.
/// </summary>
internal static class GpuMapping
{
    /// <summary>Maps <c>deploy.resources.reservations.devices</c>: GPU devices count, others are dropped.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field.</param>
    /// <param name="node">The value.</param>
    public static void MapDevices(ServiceMapping mapping, string field, ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        foreach (var device in items.OfType<ComposeMap>())
        {
            var capabilities = device.Get("capabilities") is ComposeSequence caps ? caps.Items.OfType<ComposeScalar>().Select(c => c.Text).ToList() : [];
            var driver = device.Text("driver");
            if (!capabilities.Contains("gpu") && driver != "nvidia")
            {
                mapping.Report(field, FieldOutcome.Dropped, "device reservations other than GPUs are not supported", device.Location, true);
                continue;
            }

            var countText = device.Text("count");
            var ids = device.Get("device_ids") is ComposeSequence idList ? idList.Items.Count : 0;
            int count;
            if (countText == "all")
            {
                count = 1;
                mapping.Report(field + ".count", FieldOutcome.Changed, "`all` GPUs becomes a request for 1 GPU; set gpu.count if the server needs more", device.Location, true);
            }
            else if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                count = ids > 0 ? ids : 1;
            }

            if (ids > 0)
            {
                mapping.Report(field + ".device_ids", FieldOutcome.Dropped, "specific GPU ids cannot be pinned; the device plugin picks free GPUs", device.Location);
            }

            mapping.Gpu.Require(count, device.Location);
            mapping.Report(field, FieldOutcome.Changed, $"GPU reservation: gpu.count {count} (`nvidia.com/gpu` in requests and limits)", device.Location);
        }
    }

    /// <summary>Maps Swarm <c>generic_resources</c>: a <c>*GPU*</c> kind counts GPUs, others are dropped.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field.</param>
    /// <param name="node">The value.</param>
    public static void MapGenericResources(ServiceMapping mapping, string field, ComposeNode node)
    {
        var items = node is ComposeSequence s ? s.Items : [];
        foreach (var item in items.OfType<ComposeMap>())
        {
            var spec = item.Get("discrete_resource_spec") as ComposeMap;
            var kind = spec?.Text("kind") ?? "";
            if (spec is not null && kind.Contains("gpu", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(spec.Text("value"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                mapping.Gpu.Require(count, item.Location);
                mapping.Report(field, FieldOutcome.Changed, $"Swarm generic resource `{kind}`: gpu.count {count}", item.Location);
            }
            else
            {
                mapping.Report(field, FieldOutcome.Dropped, "only GPU generic resources are supported", item.Location, true);
            }
        }
    }

    /// <summary>Maps a placement constraint on a GPU node label; tells whether it was one.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field.</param>
    /// <param name="label">The node label the constraint tests.</param>
    /// <param name="value">The value it requires.</param>
    /// <param name="node">The constraint.</param>
    /// <returns><see langword="false"/> when the label is not about GPUs.</returns>
    public static bool MapConstraint(ServiceMapping mapping, string field, string label, string value, ComposeNode node)
    {
        if (!label.Contains("gpu", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var isType = label.Contains("type", StringComparison.OrdinalIgnoreCase) || label.Contains("model", StringComparison.OrdinalIgnoreCase);
        if (isType)
        {
            mapping.Gpu.RequireType(value, node.Location);
        }
        else
        {
            mapping.Gpu.Require(null, node.Location);
        }

        mapping.Report(field, FieldOutcome.Changed, isType ? $"GPU constraint: gpu.type `{value}` (nodeSelector gpu-type)" : "GPU constraint: a GPU server (nodeSelector nvidia.com/gpu)", node.Location);
        return true;
    }

    /// <summary>Maps <c>runtime</c>: <c>nvidia</c> is the runtime class of GPU pods; others have no equivalent.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void MapRuntime(ServiceMapping mapping, ComposeNode node)
    {
        var runtime = (node as ComposeScalar)?.Text ?? "";
        if (runtime == "nvidia")
        {
            mapping.Gpu.RequireRuntimeClass("nvidia", node.Location);
            mapping.Report("runtime", FieldOutcome.Changed, "gpu.runtimeClassName `nvidia`", node.Location);
        }
        else
        {
            mapping.Report("runtime", FieldOutcome.Dropped, $"runtime {mapping.Context.Quote(node, runtime)} has no Kubernetes equivalent here", node.Location, true);
        }
    }
}
