using McpFleet.Cli;
using McpFleet.Processes;

// up --local starts each server through this same program in its child-process shim mode (McpFleet.Processes).
if (ChildProcess.TryRunShim(args, out var shimExit))
{
    return shimExit;
}

using var signals = new TerminationSignals(Console.Error);
return await McpFleetCli.RunAsync(args, CliContext.ForProcess(), signals.Token).ConfigureAwait(false);
