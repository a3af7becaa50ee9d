using McpFleet.Proxy;
using McpFleet.Upstreams.Processes;

// The keeper (a copy of this binary that leads the child's process group) must not build a host.
if (ChildKeeper.IsKeeperInvocation(args))
{
    return ChildKeeper.Run(args);
}

if (args is ["--version"])
{
    Console.WriteLine(typeof(ProxyOptions).Assembly.GetName().Version?.ToString(3));
    return 0;
}

var invocation = ProxyCommandLine.Parse(args, out var error);
if (invocation is null)
{
    if (error == "help")
    {
        Console.WriteLine(ProxyCommandLine.Usage);
        return 0;
    }

    Console.Error.WriteLine($"mcpfleet-proxy: {error}");
    Console.Error.WriteLine("run 'mcpfleet-proxy --help' for the options");
    return ProxyCommandLine.UsageExitCode;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Configuration.AddInMemoryCollection(invocation.Settings);
builder.AddMcpFleetProxy(invocation);
var app = builder.Build();
app.MapMcpFleetProxy();
await app.RunAsync().ConfigureAwait(false);
return 0;
