using System.CommandLine;
using System.Text;
using McpFleet.Diagnostics;
using McpFleet.IO;
using McpFleet.Linting;

namespace McpFleet.Cli.Commands;

/// <summary><c>mcpfleet lint &lt;file|dir|-&gt;… [--fleet DIR] [--format text|json|sarif] [--fail-on error|warning|info] [--config F]</c>.</summary>
internal sealed class LintCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string[]> _paths = new("paths")
    {
        Description = "YAML files, directories (searched for *.yaml and *.yml) or - for stdin.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _fleet = new("--fleet") { Description = "Render this fleet directory in memory and lint the result." };
    private readonly Option<string> _format = FormatOption.Create("Output format: text, json or sarif.", "text", "json", "sarif");
    private readonly Option<string> _failOn = new("--fail-on") { Description = "Exit 1 on a finding of this severity or worse.", DefaultValueFactory = _ => "error" };
    private readonly Option<string?> _config = new("--config") { Description = $"Read the lint config from this file (default: {LintConfig.FileName} in the working directory)." };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles, standard input and working directory.</param>
    public LintCommand(CliContext context)
        : base("lint", "Lint Kubernetes YAML (any source) against the MCP deployment standard and common best practice.")
    {
        _context = context;
        _failOn.AcceptOnlyFromAmong("error", "warning", "info");
        Arguments.Add(_paths);
        Options.Add(_fleet);
        Options.Add(_format);
        Options.Add(_failOn);
        Options.Add(_config);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var paths = parse.GetValue(_paths) ?? [];
        var fleet = parse.GetValue(_fleet);
        if (paths.Length == 0 && fleet is null)
        {
            return UsageError("give at least one file, directory or -, or --fleet <dir>");
        }

        if (LoadOptions(parse.GetValue(_config)) is not { } options)
        {
            return ExitCodes.InvalidInput;
        }

        var sources = new List<LintSource>();
        foreach (var path in paths)
        {
            if (!await LintInputs.CollectAsync(_context, path, sources, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.InvalidInput;
            }
        }

        if (fleet is not null && !FleetSources.Render(_context, fleet, sources, ref options))
        {
            return ExitCodes.InvalidInput;
        }

        var result = new Linter(options).Lint(sources, cancellationToken);
        if (result.ObjectCount == 0 && result.Count(DiagnosticSeverity.Error) == 0)
        {
            // An empty directory, empty stdin or a directory of *.json files would otherwise pass CI as a clean run.
            return UsageError($"nothing to lint: {string.Join(", ", paths)} held no Kubernetes object ({result.Files.Count} *.yaml/*.yml files read; kustomizations are skipped)");
        }

        switch (parse.GetValue(_format))
        {
            case "json":
                WriteData(stream => LintReportWriter.WriteJson(result, stream));
                break;
            case "sarif":
                WriteData(stream => LintReportWriter.WriteSarif(result, stream, typeof(LintCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
                break;
            default:
                LintTextReport.Write(_context.Out, result);
                break;
        }

        var threshold = parse.GetValue(_failOn) switch
        {
            "warning" => DiagnosticSeverity.Warning,
            "info" => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Error,
        };
        return result.Fails(threshold) ? ExitCodes.Findings : ExitCodes.Success;
    }

    private LintOptions? LoadOptions(string? configPath)
    {
        var path = configPath is null ? Path.Combine(_context.WorkingDirectory, LintConfig.FileName) : _context.Resolve(configPath);
        var shown = configPath ?? LintConfig.FileName;
        var input = InputFile.Read(path);
        if (!input.Success)
        {
            if (configPath is null && input.Error.Kind == InputErrorKind.Missing)
            {
                return new LintOptions();
            }

            UsageError(input.Error.Kind switch
            {
                InputErrorKind.Missing => $"config file {shown} does not exist",
                InputErrorKind.NotText => $"{shown}:{input.Error.Line}:{input.Error.Column}: the config file {input.Error.Message}",
                _ => $"config file {shown} {input.Error.Message}",
            });
            return null;
        }

        var diagnostics = new DiagnosticBag();
        var options = LintConfig.Parse(shown, input.Text, diagnostics);
        foreach (var d in diagnostics.Items)
        {
            _context.Say(d.ToString());
        }

        return diagnostics.HasErrors ? null : options;
    }

    private int UsageError(string message)
    {
        _context.Fail(message);
        return ExitCodes.InvalidInput;
    }

    private void WriteData(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        var writer = _context.Out.Profile.Out.Writer;
        writer.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        writer.WriteLine();
        writer.Flush();
    }
}
