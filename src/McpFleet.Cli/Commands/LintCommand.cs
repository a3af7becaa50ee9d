using System.CommandLine;
using System.Text;
using McpFleet.Diagnostics;
using McpFleet.Linting;
using Spectre.Console;

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
        SetAction((parse, cancellationToken) => Task.FromResult(Run(parse, cancellationToken)));
    }

    private int Run(ParseResult parse, CancellationToken cancellationToken)
    {
        var paths = parse.GetValue(_paths) ?? [];
        var fleet = parse.GetValue(_fleet);
        if (paths.Length == 0 && fleet is null)
        {
            return UsageError("give at least one file, directory or -, or --fleet <dir>");
        }

        var options = LoadOptions(parse.GetValue(_config), out var configFailed);
        if (configFailed)
        {
            return ExitCodes.InvalidInput;
        }

        var sources = new List<LintSource>();
        foreach (var path in paths)
        {
            if (!CollectSources(path, sources))
            {
                return ExitCodes.InvalidInput;
            }
        }

        if (fleet is not null && !FleetSources.Render(_context, fleet, sources, ref options))
        {
            return ExitCodes.InvalidInput;
        }

        var result = new Linter(options).Lint(sources, cancellationToken);
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

    private LintOptions LoadOptions(string? configPath, out bool failed)
    {
        failed = false;
        var path = configPath is null ? Path.Combine(_context.WorkingDirectory, LintConfig.FileName) : _context.Resolve(configPath);
        if (!File.Exists(path))
        {
            if (configPath is not null)
            {
                failed = true;
                UsageError($"config file {configPath} does not exist");
            }

            return new LintOptions();
        }

        var diagnostics = new DiagnosticBag();
        var options = LintConfig.Parse(configPath ?? LintConfig.FileName, File.ReadAllText(path), diagnostics);
        foreach (var d in diagnostics.Items)
        {
            _context.Error.WriteLine(d.ToString());
        }

        failed = diagnostics.HasErrors;
        return options;
    }

    private bool CollectSources(string path, List<LintSource> sources)
    {
        if (path == "-")
        {
            sources.Add(new LintSource("<stdin>", _context.Input.ReadToEnd()));
            return true;
        }

        if (LintSource.FromPath(_context.Resolve(path), path) is { } found)
        {
            sources.AddRange(found);
            return true;
        }

        UsageError($"{path}: no such file or directory");
        return false;
    }

    private int UsageError(string message)
    {
        _context.Error.MarkupLineInterpolated($"[red]error:[/] {message}");
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
