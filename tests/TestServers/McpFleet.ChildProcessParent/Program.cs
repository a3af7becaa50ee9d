using McpFleet.Processes;

// Usage: McpFleet.ChildProcessParent COMMAND ARGS...
// Prints "child <pid> group <pgid>", then every line the command writes, and waits for the command to end.
if (ChildProcess.TryRunShim(args, out var shimExit))
{
    return shimExit;
}

await using var child = await ChildProcess.StartAsync(new ChildProcessOptions(args[0], args[1..])
{
    OutputLine = Console.WriteLine,
    ErrorLine = Console.Error.WriteLine,
});
Console.WriteLine($"child {child.Id} group {child.ProcessGroupId}");
var exit = await child.WaitForExitAsync();
Console.WriteLine(exit.ToString());
return 0;
