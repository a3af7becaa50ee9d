using McpFleet.Linting;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>Renders a fleet in memory for <c>mcpfleet lint --fleet</c>.</summary>
internal static class FleetSources
{
    public static bool Render(CliContext context, string fleetDirectory, List<LintSource> sources, ref LintOptions options)
    {
        _ = sources;
        _ = options;
        context.Error.WriteLine($"error: --fleet {fleetDirectory}: the renderer is not available in this build");
        return false;
    }
}
