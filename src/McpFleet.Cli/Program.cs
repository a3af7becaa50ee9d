using McpFleet.Cli;
using McpFleet.Processes;

// up --local starts each server through this same program in its child-process shim mode (McpFleet.Processes).
if (ChildProcess.TryRunShim(args, out var shimExit))
{
    return shimExit;
}

using var cancellation = new CancellationTokenSource();
// Ctrl-C and SIGTERM cancel the running verb, which then cleans up (temp dirs, child processes) and exits.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        cancellation.Cancel();
    });

return await McpFleetCli.RunAsync(args, CliContext.ForProcess(), cancellation.Token).ConfigureAwait(false);
