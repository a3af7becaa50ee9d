using McpFleet.Proxy;
using Microsoft.Extensions.Configuration.Memory;
using McpFleet.Processes;

// The shim (this binary re-executed to lead the child's session and process group) must not build a host.
if (ChildProcess.TryRunShim(args, out var shimExitCode))
{
    return shimExitCode;
}

if (args is ["check-libc", ..] && args.Length <= 2)
{
    var root = args.Length == 2 ? args[1] : "/";
    var libc = LibcDetector.Detect(root);
    Console.WriteLine(LibcDetector.Describe(root, libc));
    return libc == Libc.Glibc ? 0 : LibcDetector.NotGlibcExitCode;
}

if (args is ["install", var installDirectory])
{
    return ProxyInstaller.Install(installDirectory, Console.Out, Console.Error);
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

// Lowest precedence: ASP.NET Core's two Information lines per request stay out of the log unless Logging__LogLevel__* says otherwise.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")] });
builder.Configuration.AddInMemoryCollection(invocation.Settings);
builder.AddMcpFleetProxy(invocation);
var app = builder.Build();
app.MapMcpFleetProxy();

// A sidecar idles in every pod: once it listens, collect what starting allocated (about 13 MB, left resident because the
// first gen0 budget is sized for load) and give the pages back. One blocking GC of a small heap, a few ms, at start only.
app.Lifetime.ApplicationStarted.Register(static () => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true));
await app.RunAsync().ConfigureAwait(false);
return 0;
