using System.CommandLine;
using System.Globalization;
using McpFleet.Import;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary><c>mcpfleet import</c>: the parent of the importers.</summary>
internal sealed class ImportCommand : Command
{
    /// <summary>Creates the command with its <c>compose</c> subcommand.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public ImportCommand(CliContext context)
        : base("import", "Import an existing deployment into a fleet spec.")
    {
        Subcommands.Add(new ImportComposeCommand(context));
    }
}

/// <summary>
/// <c>mcpfleet import compose &lt;compose.yml&gt;… --out &lt;fleet-dir&gt;</c>: Docker Compose and Swarm stack files to a
/// fleet spec, with a migration report. Exit 0 clean, 1 with items that need a person, 2 for unusable input.
/// </summary>
internal sealed class ImportComposeCommand : Command
{
    private readonly Argument<string[]> _files = new("compose-file")
    {
        Description = "Compose or stack files, in override order (later files win).",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string?> _envFile = new("--env-file") { Description = "Read ${VAR} values from this file (default: .env beside the first file)." };
    private readonly Option<string?> _namespace = new("--namespace") { Description = $"Put the fleet in this namespace (default: {FleetDefaults.Namespace})." };
    private readonly Option<string?> _secretPrefix = new("--secret-prefix") { Description = $"Start every remoteRef with this prefix: <prefix>.<server>.<name> (default: {FleetDefaults.SecretPrefix})." };
    private readonly Option<string[]> _include = new("--include") { Description = "Import this non-MCP service (postgres, redis...) as a server anyway. Repeatable." };
    private readonly Option<string[]> _exclude = new("--exclude") { Description = "Leave this service out. Repeatable." };
    private readonly Option<string[]> _profile = new("--profile") { Description = "Enable this Compose profile, as docker compose --profile does (services with profiles are left out otherwise; * enables all). Repeatable." };
    private readonly Option<string?> _ports = new("--ports") { Description = $"The fleet's MCP port range MIN-MAX (default: {FleetDefaults.Ports.Min}-{FleetDefaults.Ports.Max})." };
    private readonly Option<string[]> _caller = new("--caller") { Description = $"Allow the pods with this label KEY=VALUE to call the servers (default: {string.Join(',', FleetDefaults.Callers.Select(c => $"{c.Key}={c.Value}"))}). Repeatable." };
    private readonly Option<string?> _report = new("--report") { Description = "Also write the migration report to this Markdown file." };
    private readonly Option<string> _out = new("--out") { Description = "Write the fleet to this directory (new, empty, or a previous import).", Required = true };
    private readonly CliContext _context;

    /// <summary>Creates the command.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    public ImportComposeCommand(CliContext context)
        : base("compose", "Convert Docker Compose / Swarm stack files to a fleet spec (fleet.yaml + values/), moving every credential to a secret.")
    {
        _context = context;
        Arguments.Add(_files);
        Options.Add(_envFile);
        Options.Add(_namespace);
        Options.Add(_secretPrefix);
        Options.Add(_include);
        Options.Add(_exclude);
        Options.Add(_profile);
        Options.Add(_ports);
        Options.Add(_caller);
        Options.Add(_report);
        Options.Add(_out);
        SetAction(Run);
    }

    private void ErrorLine(string line) => _context.Say(line);

    private int Run(ParseResult parse)
    {
        var callers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var caller in parse.GetValue(_caller) ?? [])
        {
            var eq = caller.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                ErrorLine($"error: --caller expects KEY=VALUE, got '{caller}'");
                return ExitCodes.InvalidInput;
            }

            callers[caller[..eq]] = caller[(eq + 1)..];
        }

        PortRange? ports = null;
        if (parse.GetValue(_ports) is { } range)
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                || !int.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            {
                ErrorLine($"error: --ports expects MIN-MAX (e.g. 9000-9099), got '{range}'");
                return ExitCodes.InvalidInput;
            }

            ports = new PortRange(min, max);
        }

        var options = new ComposeImportOptions
        {
            Callers = callers,
            Files = parse.GetValue(_files) ?? [],
            BaseDirectory = _context.WorkingDirectory,
            EnvFile = parse.GetValue(_envFile),
            Namespace = parse.GetValue(_namespace),
            SecretPrefix = parse.GetValue(_secretPrefix),
            Include = parse.GetValue(_include) ?? [],
            Exclude = parse.GetValue(_exclude) ?? [],
            Profiles = parse.GetValue(_profile) ?? [],
            Ports = ports,
        };
        var result = ComposeImporter.Import(options);
        if (!result.Success)
        {
            foreach (var error in result.Errors)
            {
                ErrorLine(error.ToString());
            }

            ErrorLine("Nothing was written.");
            return ExitCodes.InvalidInput;
        }

        var output = parse.GetValue(_out)!;
        var outDirectory = _context.Resolve(output);
        var reportPath = parse.GetValue(_report);
        // Report text quotes the Compose files: escaped once, for the terminal and the file alike.
        var markdown = TerminalText.Escape(ImportReportMarkdown.Format(result.Report!, output));
        var written = FleetDirectoryWriter.Write(result.Spec!, outDirectory, ComposeImporter.FleetHeader(result.Report!),
            reportPath is null ? null : new ImportReportFile(_context.Resolve(reportPath), markdown));
        if (written.Failure is { } failure)
        {
            var given = failure.Location.File == outDirectory ? output : reportPath!;
            ErrorLine((failure with { Location = new(given, 0, 0) }).ToString());
            ErrorLine("Nothing was written.");
            return ExitCodes.InvalidInput;
        }

        foreach (var file in written.Removed)
        {
            ErrorLine($"removed {Path.Join(output, file)}: the previous import had it, the new one does not");
        }

        // Raw text, not a Spectre renderable: Markdown must not be wrapped at the terminal width.
        _context.Out.Profile.Out.Writer.Write(markdown);
        return result.NeedsAttention ? ExitCodes.Findings : ExitCodes.Success;
    }
}
