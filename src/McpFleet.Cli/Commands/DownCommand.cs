using System.CommandLine;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet down &lt;fleet-dir&gt; --containers</c>: removes every pod, volume and the network that
/// <c>up --containers</c> started for the fleet's namespace, also after an <c>up</c> that was killed. Idempotent.
/// </summary>
internal sealed class DownCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<bool> _containers = new("--containers") { Description = "Remove the Podman pods, volumes and network of the fleet's namespace (required)." };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public DownCommand(CliContext context)
        : base("down", "Remove what 'up --containers' started for a fleet: its pods, volumes and network. Safe to repeat.")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_containers);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (!parse.GetValue(_containers))
        {
            _context.Fail("down removes what 'up --containers' started: add --containers ('up --local' stops with Ctrl-C).");
            return ExitCodes.InvalidInput;
        }

        var rendered = FleetOperations.Load(_context, parse.GetValue(_fleet)!);
        return rendered is null
            ? ExitCodes.InvalidInput
            : await new ContainerRun(_context).DownAsync(rendered.Namespace.Metadata.Name, cancellationToken).ConfigureAwait(false);
    }
}
