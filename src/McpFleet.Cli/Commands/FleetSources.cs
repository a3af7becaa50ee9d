using McpFleet.Diagnostics;
using McpFleet.Linting;
using McpFleet.Rendering;
using McpFleet.Spec;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>Renders a fleet in memory for <c>mcpfleet lint --fleet</c>: the files <c>mcpfleet render</c> would write, never on disk.</summary>
internal static class FleetSources
{
    /// <summary>The prefix of rendered file names in findings (they exist only in memory).</summary>
    public const string Prefix = "rendered:";

    public static bool Render(CliContext context, string fleetDirectory, List<LintSource> sources, ref LintOptions options)
    {
        var spec = context.LoadFleet(fleetDirectory);
        if (spec is null)
        {
            context.Error.MarkupLineInterpolated($"[red]error:[/] --fleet {fleetDirectory}: the fleet spec is invalid (see mcpfleet validate)");
            return false;
        }

        var resolved = FleetResolver.Resolve(spec);
        options = options.WithFleet(resolved);
        sources.AddRange(ManifestTree.Build(FleetRenderer.Render(resolved)).Select(f => new LintSource(Prefix + f.RelativePath, f.Content)));
        return true;
    }
}
