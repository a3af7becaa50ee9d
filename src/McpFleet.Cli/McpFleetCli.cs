using System.CommandLine;

namespace McpFleet.Cli;

/// <summary>Builds the <c>mcpfleet</c> command tree and runs it.</summary>
internal static class McpFleetCli
{
    /// <summary>Builds the root command with every verb.</summary>
    /// <param name="context">Consoles, clock and working directory.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("mcpfleet: run a fleet of MCP servers on Kubernetes, safely and with little effort.");
        // One thin class per verb; each registers itself here.
        root.Subcommands.Add(new Commands.ValidateCommand(context));
        root.Subcommands.Add(new Commands.RenderCommand(context));
        root.Subcommands.Add(Commands.HelmValuesCommand.Group(context));
        root.Subcommands.Add(new Commands.LintCommand(context));
        root.Subcommands.Add(new Commands.ImportCommand(context));
        root.Subcommands.Add(new Commands.DeployCommand(context));
        root.Subcommands.Add(new Commands.StatusCommand(context));
        root.Subcommands.Add(new Commands.SmokeCommand(context));
        root.Subcommands.Add(new Commands.UpCommand(context));
        root.Subcommands.Add(new Commands.DownCommand(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>. Usage errors exit with <see cref="ExitCodes.InvalidInput"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="context">Consoles, clock and working directory.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C or SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            var root = Build(context);
            var parseResult = root.Parse(args);
            var configuration = new InvocationConfiguration
            {
                Output = new SpectreWriter(context.Out),
                Error = new SpectreWriter(context.Error),
                // Program.cs handles Ctrl-C and SIGTERM (TerminationSignals). System.CommandLine's own handler would end
                // the process 2 s after the signal (its default), long before up --local has drained its servers.
                ProcessTerminationTimeout = null,
                // What escapes a verb reaches CliFailures: one line and a documented exit code, not a stack trace and 1.
                EnableDefaultExceptionHandler = false,
            };
            if (parseResult.Errors.Count > 0 && parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
            {
                ParseErrors.Write(context, parseResult);
                return ExitCodes.InvalidInput;
            }

            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return CliFailures.Handle(context, e);
        }
    }
}
