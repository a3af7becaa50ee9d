using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Spec;

namespace McpFleet.Import.Mapping;

/// <summary>
/// <c>deploy.resources</c>, <c>mem_limit</c>, <c>mem_reservation</c> and <c>cpus</c>: requests and limits by the unit
/// rule (<see cref="ComposeUnits"/>); GPU reservations go to <see cref="GpuMapping"/>.
/// </summary>
internal static class ResourceMapping
{
    /// <summary>Maps <c>deploy.resources</c>.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void MapResources(ServiceMapping mapping, ComposeNode node)
    {
        if (node is not ComposeMap resources)
        {
            mapping.Report("deploy.resources", FieldOutcome.Dropped, "not a mapping", node.Location, true);
            return;
        }

        foreach (var (key, value) in resources.Entries)
        {
            var field = "deploy.resources." + key;
            if (key is not ("limits" or "reservations") || value is not ComposeMap quantities)
            {
                mapping.Report(field, FieldOutcome.Dropped, "not supported", value.Location, true);
                continue;
            }

            var target = key == "limits" ? "limits" : "requests";
            string? cpu = null;
            string? memory = null;
            foreach (var (name, q) in quantities.Entries)
            {
                var qField = $"{field}.{name}";
                var text = (q as ComposeScalar)?.Text ?? "";
                switch (name)
                {
                    case "cpus":
                        cpu = ConvertCpu(mapping, qField, text, target, q.Location) ?? cpu;
                        break;
                    case "memory":
                        memory = ConvertMemory(mapping, qField, text, target, q.Location) ?? memory;
                        break;
                    case "devices":
                        GpuMapping.MapDevices(mapping, qField, q);
                        break;
                    case "generic_resources":
                        GpuMapping.MapGenericResources(mapping, qField, q);
                        break;
                    case "pids":
                        mapping.Report(qField, FieldOutcome.Dropped, "pid limits are a kubelet setting (podPidsLimit), not a pod field", q.Location);
                        break;
                    default:
                        mapping.Report(qField, FieldOutcome.Dropped, "not supported", q.Location, true);
                        break;
                }
            }

            SetQuantities(mapping.Draft, target, cpu, memory);
        }
    }

    /// <summary>Maps the Compose v2 keys <c>cpus</c> (a limit), <c>mem_limit</c> and <c>mem_reservation</c>.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="key">The key.</param>
    /// <param name="node">The value.</param>
    public static void MapLegacy(ServiceMapping mapping, string key, ComposeNode node)
    {
        var text = (node as ComposeScalar)?.Text ?? "";
        if (key == "cpus")
        {
            SetQuantities(mapping.Draft, "limits", ConvertCpu(mapping, key, text, "limits", node.Location), null);
        }
        else
        {
            var target = key == "mem_limit" ? "limits" : "requests";
            SetQuantities(mapping.Draft, target, null, ConvertMemory(mapping, key, text, target, node.Location));
        }
    }

    private static void SetQuantities(ServerDraft draft, string target, string? cpu, string? memory)
    {
        if (cpu is null && memory is null)
        {
            return;
        }

        if (target == "limits")
        {
            draft.Limits = new ResourceQuantities(cpu ?? draft.Limits?.Cpu, memory ?? draft.Limits?.Memory);
        }
        else
        {
            draft.Requests = new ResourceQuantities(cpu ?? draft.Requests?.Cpu, memory ?? draft.Requests?.Memory);
        }
    }

    private static string? ConvertCpu(ServiceMapping mapping, string field, string text, string target, SourceLocation location)
    {
        if (!ComposeUnits.TryCpu(text, out var quantity, out var rounded))
        {
            mapping.Report(field, FieldOutcome.Dropped, $"{mapping.Context.Quote(ComposeScalar.Of(location, text), text)} is not a number of CPUs", location, true);
            return null;
        }

        mapping.Report(field, quantity == text ? FieldOutcome.Mapped : FieldOutcome.Changed, quantity == text ? $"{target}.cpu `{quantity}`" : $"{target}.cpu: `{text}` → `{quantity}`{(rounded ? " (rounded up to a whole millicore)" : "")}", location);
        return quantity;
    }

    private static string? ConvertMemory(ServiceMapping mapping, string field, string text, string target, SourceLocation location)
    {
        if (!ComposeUnits.TryMemory(text, out var quantity, out var rounded))
        {
            mapping.Report(field, FieldOutcome.Dropped, $"{mapping.Context.Quote(ComposeScalar.Of(location, text), text)} is not a byte size", location, true);
            return null;
        }

        mapping.Report(field, FieldOutcome.Changed, $"{target}.memory: `{text}` → `{quantity}` (Compose units are powers of 1024){(rounded ? "; rounded up to a whole byte" : "")}", location);
        return quantity;
    }
}
