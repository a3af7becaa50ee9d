using McpFleet.Linting;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary>Renders a fleet in memory for <c>mcpfleet lint --fleet</c>: the files <c>mcpfleet render</c> would write, never on disk.</summary>
internal static class FleetSources
{
    /// <summary>The prefix of rendered file names in findings (they exist only in memory).</summary>
    public const string Prefix = "rendered:";

    /// <summary>Adds the rendered manifests of <paramref name="fleetDirectory"/> to <paramref name="sources"/>.</summary>
    /// <param name="context">Where to report.</param>
    /// <param name="fleetDirectory">The fleet directory as the user gave it.</param>
    /// <param name="sources">Receives the files.</param>
    /// <param name="options">Receives the fleet's MCP port range.</param>
    /// <returns><see langword="false"/> when the fleet is invalid.</returns>
    public static bool Render(CliContext context, string fleetDirectory, List<LintSource> sources, ref LintOptions options)
    {
        var spec = context.LoadFleet(fleetDirectory);
        if (spec is null)
        {
            context.Fail($"--fleet {fleetDirectory}: the fleet spec is invalid (see mcpfleet validate)");
            return false;
        }

        var resolved = FleetResolver.Resolve(spec);
        options = options.WithFleet(resolved);
        // The manifests only, as 'lint DIR' reads a render's output: its kustomizations are not *.yaml files.
        sources.AddRange(ManifestTree.Build(FleetRenderer.Render(resolved))
            .Where(f => Path.GetFileName(f.RelativePath) != ManifestTree.KustomizationFile)
            .Select(f => new LintSource(Prefix + f.RelativePath, f.Content)));
        return true;
    }
}
