using System.CommandLine;
using McpFleet.Helm;
using McpFleet.Spec;
using Spectre.Console;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet helm values &lt;fleet-dir&gt; --out DIR</c>: writes the <c>mcp-servers</c> chart's values file of every
/// server, so Helm users install exactly what <c>mcpfleet render</c> produces.
/// </summary>
internal sealed class HelmValuesCommand : Command
{
    private readonly CliContext _context;

    private readonly Argument<string> _fleetDirectory = new("fleet-dir")
    {
        Description = "The fleet directory: fleet.yaml plus values/<server>.yaml.",
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "Write one <server>.yaml per server to this directory (created when missing), e.g. deploy/helm/mcp-servers/values.",
        Required = true,
    };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles and working directory.</param>
    public HelmValuesCommand(CliContext context)
        : base("values", "Write the Helm chart's values file of every server from the fleet spec.")
    {
        _context = context;
        Arguments.Add(_fleetDirectory);
        Options.Add(_out);
        SetAction(RunAsync);
    }

    /// <summary>Creates the <c>helm</c> group with its verbs.</summary>
    /// <param name="context">Consoles and working directory.</param>
    /// <returns>The <c>helm</c> command.</returns>
    public static Command Group(CliContext context) =>
        new("helm", "Work with the Helm chart deploy/helm/mcp-servers.") { new HelmValuesCommand(context) };

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var fleetDirectory = _context.Resolve(parseResult.GetRequiredValue(_fleetDirectory));
        var outDirectory = _context.Resolve(parseResult.GetRequiredValue(_out));
        var spec = _context.LoadFleet(fleetDirectory);
        if (spec is null)
        {
            _context.Error.MarkupLineInterpolated($"[red]error:[/] {fleetDirectory} is not a valid fleet; nothing written.");
            return ExitCodes.InvalidInput;
        }

        IReadOnlyList<HelmValuesFile> files;
        try
        {
            files = await HelmValues.WriteAsync(FleetResolver.Resolve(spec), outDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            _context.Error.MarkupLineInterpolated($"[red]error:[/] cannot write {outDirectory}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (UnauthorizedAccessException e)
        {
            _context.Error.MarkupLineInterpolated($"[red]error:[/] cannot write {outDirectory}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        foreach (var file in files)
        {
            _context.Out.Profile.Out.Writer.WriteLine(_context.Display(Path.Combine(outDirectory, file.FileName)));
        }

        _context.Error.Profile.Out.Writer.WriteLine($"wrote {files.Count} values files to {_context.Display(outDirectory)}");
        return ExitCodes.Success;
    }
}
