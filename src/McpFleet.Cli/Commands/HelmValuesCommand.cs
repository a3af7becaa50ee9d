using System.CommandLine;
using McpFleet.Helm;
using McpFleet.IO;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet helm values &lt;fleet-dir&gt; --out DIR</c>: writes the <c>mcp-servers</c> chart's values file of every
/// server, so Helm users install exactly what <c>mcpfleet render</c> produces.
/// </summary>
internal sealed class HelmValuesCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _fleetDirectory = FleetOperations.FleetArgument();
    private readonly Option<string> _out = OutOption.Create(
        "Write one <server>.yaml per server to this directory (replaced atomically; files it did not generate are kept), e.g. deploy/helm/mcp-servers/values.");

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles and working directory.</param>
    public HelmValuesCommand(CliContext context)
        : base("values", "Write the Helm chart's values file of every server from the fleet spec.")
    {
        _context = context;
        Arguments.Add(_fleetDirectory);
        Options.Add(_out);
        SetAction((parseResult, cancellationToken) => Task.FromResult(Execute(parseResult, cancellationToken)));
    }

    /// <summary>Creates the <c>helm</c> group with its verbs.</summary>
    /// <param name="context">Consoles and working directory.</param>
    /// <returns>The <c>helm</c> command.</returns>
    public static Command Group(CliContext context) =>
        new("helm", "Work with the Helm chart deploy/helm/mcp-servers.") { new HelmValuesCommand(context) };

    private int Execute(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var fleetDirectory = parseResult.GetRequiredValue(_fleetDirectory);
        var output = parseResult.GetRequiredValue(_out);
        if (output == "-")
        {
            _context.Fail("--out -: helm values writes one file per server, not a stream; give a directory, e.g. deploy/helm/mcp-servers/values");
            return ExitCodes.InvalidInput;
        }

        var spec = _context.LoadFleet(fleetDirectory);
        if (spec is null)
        {
            _context.Fail($"{fleetDirectory} is not a valid fleet; nothing written.");
            return ExitCodes.InvalidInput;
        }

        var outDirectory = _context.Resolve(output);
        HelmValuesOutput written;
        try
        {
            written = HelmValues.Write(FleetResolver.Resolve(spec), outDirectory, cancellationToken);
        }
        catch (OutputRefusedException e)
        {
            _context.Fail($"{output} {e.Message}; nothing written.");
            return ExitCodes.InvalidInput;
        }
        catch (IOException e)
        {
            _context.Fail($"cannot write {output}: {e.Message}; nothing written.");
            return ExitCodes.InvalidInput;
        }

        foreach (var file in written.Files)
        {
            _context.Out.Profile.Out.Writer.WriteLine(TerminalText.Escape(_context.Display(Path.Combine(outDirectory, file.FileName), output)));
        }

        foreach (var file in written.Removed)
        {
            _context.Say($"removed {_context.Display(Path.Combine(outDirectory, file), output)}: a generated file of a server no longer in the fleet");
        }

        _context.Say($"wrote {written.Files.Count} values files to {_context.Display(outDirectory, output)}");
        return ExitCodes.Success;
    }
}
