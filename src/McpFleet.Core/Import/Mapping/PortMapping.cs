using System.Globalization;
using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Import.Mapping;

/// <summary>
/// <c>ports</c> and <c>expose</c>: the container ports, and which one is the MCP port. The fleet range and remapping
/// are the port assignment pass's; this says what the service serves.
/// </summary>
internal static class PortMapping
{
    /// <summary>Reads the ports of <c>ports</c> or <c>expose</c>; the MCP port is chosen once every field is read.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="key">The key, <c>ports</c> or <c>expose</c>.</param>
    /// <param name="node">Its value.</param>
    public static void Map(ServiceMapping mapping, string key, ComposeNode node)
    {
        if (node is not ComposeSequence list)
        {
            mapping.Report(key, FieldOutcome.Dropped, "not a list", node.Location, true);
            return;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var field = $"{key}[{i}]";
            if (!ComposePorts.TryParse(item, out var port, out var problem))
            {
                mapping.Report(field, FieldOutcome.Dropped, problem, item.Location, true);
                continue;
            }

            if (port.Protocol != "tcp")
            {
                mapping.Report(field, FieldOutcome.Dropped, $"{port.Protocol.ToUpperInvariant()} port {port.Container}: MCP runs over TCP (Streamable HTTP)", item.Location, true);
                continue;
            }

            // The MCP port is chosen once every field is read (env and command can name it); rows go here then.
            mapping.Ports.Add(new PortCandidate(port.Container, port.Published, item.Location, field, mapping.NextRow));
            if (mapping.Ports.Count == 1)
            {
                mapping.WhenAllRead(() => Finish(mapping));
            }
        }
    }

    /// <summary>
    /// Chooses the MCP port among the container ports by what the service serves: the port an <c>*MCP*PORT*</c> env
    /// var names, else the one whose comment says MCP, else one the command names, else the first. Never the metrics port
    /// while there is another.
    /// </summary>
    /// <param name="mapping">The service mapping, with its ports, env and command read.</param>
    /// <returns>The port, and why when it is not the first.</returns>
    public static (PortCandidate Port, string? Why) ChooseMcpPort(ServiceMapping mapping)
    {
        var ports = mapping.Ports;
        var candidates = ports.Where(p => p.Port != RuntimeContract.DefaultMetricsPort).DistinctBy(p => p.Port).ToList();
        if (candidates.Count <= 1)
        {
            return (candidates.Count == 1 ? candidates[0] : ports[0], null);
        }

        foreach (var (name, value) in mapping.EnvValues)
        {
            if (name.Contains("MCP", StringComparison.OrdinalIgnoreCase) && name.Contains("PORT", StringComparison.OrdinalIgnoreCase)
                && candidates.Find(c => c.Port.ToString(CultureInfo.InvariantCulture) == value?.Trim()) is { } named)
            {
                return (named, $"{name} names it");
            }
        }

        var commented = candidates.Where(c => candidates.Count(o => o.Location.File == c.Location.File && o.Location.Line == c.Location.Line) == 1
            && ComposeUnits.TrailingComment(mapping.Context.SourceLine(c.Location)) is { } comment && comment.Contains("mcp", StringComparison.OrdinalIgnoreCase)).ToList();
        if (commented.Count == 1)
        {
            return (commented[0], "its comment says MCP");
        }

        var words = (mapping.Draft.Command ?? []).Concat(mapping.Draft.Args ?? []).ToList();
        var inCommand = candidates.Where(c => words.Select((w, i) => PortWords.Mentions(i > 0 ? words[i - 1] : "", w, c.Port)).Any(m => m)).ToList();
        return inCommand.Count == 1 ? (inCommand[0], "the command names it") : (candidates[0], null);
    }

    /// <summary>Sets the draft's container port and reports each port where it was written.</summary>
    private static void Finish(ServiceMapping mapping)
    {
        var (chosen, why) = ChooseMcpPort(mapping);
        mapping.Draft.ContainerPort = (chosen.Port, chosen.Location, chosen.Field);
        mapping.Draft.McpPortChoice = why;
        foreach (var port in mapping.Ports)
        {
            var hostNote = port.Published is null ? "" : $"; the published host port {port.Published} is dropped (servers are reached through their ClusterIP Service)";
            var row = port == chosen ? hostNote.Length == 0 ? null : new ReportEntry(port.Field + ".published", FieldOutcome.Dropped, hostNote[2..], port.Location)
                : port.Port == chosen.Port ? new ReportEntry(port.Field, FieldOutcome.Mapped, $"same container port {port.Port} as {chosen.Field}{hostNote}", port.Location)
                : port.Port == RuntimeContract.DefaultMetricsPort ? new ReportEntry(port.Field, FieldOutcome.Changed, $"port {port.Port} is the metrics port, which every server gets from the runtime contract", port.Location)
                : new ReportEntry(port.Field, FieldOutcome.Dropped, $"extra container port {port.Port}: a fleet server has one MCP port and the metrics port", port.Location, true);
            if (row is not null)
            {
                mapping.Defer(port.Row, row);
            }
        }
    }
}

/// <summary>A TCP container port of the service.</summary>
/// <param name="Port">The container port.</param>
/// <param name="Published">The published host port, if any.</param>
/// <param name="Location">Where it was written.</param>
/// <param name="Field">The report field, e.g. <c>ports[1]</c>.</param>
/// <param name="Row">The report row index where its row goes.</param>
internal sealed record PortCandidate(int Port, string? Published, SourceLocation Location, string Field, int Row);
