using System.CommandLine;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary>The fleet input of a verb: the <c>fleet-dir</c> argument and loading it.</summary>
internal static class FleetOperations
{
    /// <summary>Creates the <c>fleet-dir</c> argument; an empty path is refused (it would silently mean the working directory).</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> FleetArgument()
    {
        var argument = new Argument<string>("fleet-dir") { Description = "The fleet directory: fleet.yaml plus values/<server>.yaml." };
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: "" }])
            {
                result.AddError("fleet-dir is empty: give the fleet directory, e.g. examples/sophia-ai");
            }
        });
        return argument;
    }

    /// <summary>Loads, validates and renders a fleet; prints the diagnostics; null when the spec has errors.</summary>
    /// <param name="context">Where to report.</param>
    /// <param name="directory">The fleet directory as the user gave it.</param>
    /// <returns>The rendered fleet, or <see langword="null"/>.</returns>
    public static RenderedFleet? Load(CliContext context, string directory)
    {
        var spec = context.LoadFleet(directory);
        if (spec is null)
        {
            context.Fail($"{directory} is not a valid fleet (see the errors above)");
            return null;
        }

        return FleetRenderer.Render(FleetResolver.Resolve(spec));
    }
}
