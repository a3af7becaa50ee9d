using McpFleet.Processes;
using McpFleet.Upstreams;
using McpFleet.Upstreams.Http;
using McpFleet.Upstreams.Stdio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace McpFleet.Proxy;

/// <summary>
/// The proxy's one upstream MCP server, built from the command line and started with the host. It is stopped in
/// <see cref="StoppedAsync"/>, after Kestrel has finished the requests in flight: the drain first, then the child's stdin,
/// SIGTERM to its group, SIGKILL at <see cref="UpstreamOptions.StopTimeout"/>.
/// </summary>
internal sealed partial class ProxyUpstream : IHostedLifecycleService, IAsyncDisposable
{
    private readonly HttpClient? _httpClient;
    private readonly ILogger _logger;

    public ProxyUpstream(
        ProxyInvocation invocation,
        IOptions<UpstreamOptions> options,
        ProxySessions sessions,
        UpstreamMetrics metrics,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        _logger = loggerFactory.CreateLogger<ProxyUpstream>();
        IUpstreamLauncher launcher;
        if (invocation.Mode == ProxyMode.Stdio)
        {
            var command = new ChildProcessOptions(invocation.Command!, invocation.Arguments)
            {
                Environment = invocation.Environment,
                WorkingDirectory = invocation.WorkingDirectory,
            };
            launcher = new StdioLauncher(command, loggerFactory, timeProvider, metrics);
        }
        else
        {
            _httpClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            launcher = new HttpLauncher(invocation.Upstream!, _httpClient, loggerFactory);
        }

        Current = new Upstream(launcher, options.Value, sessions, loggerFactory, timeProvider, metrics);
        sessions.Attach(Current);
    }

    /// <summary>Gets the upstream.</summary>
    public Upstream Current { get; }

    /// <summary>Gets the upstream's state.</summary>
    public UpstreamState State => Current.State;

    /// <summary>Gives a client session the server's capabilities and instructions, from its cached <c>initialize</c> result.</summary>
    /// <param name="options">The session's options (a fresh copy per session, per request when stateless).</param>
    public void Describe(McpServerOptions options)
    {
        if (Current.Initialization is { } initialization)
        {
            options.Capabilities = initialization.Capabilities;
            options.ServerInstructions = initialization.Instructions;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Current.Start();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        LogStoppingServer(_logger);
        await Current.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Current.DisposeAsync().ConfigureAwait(false);
        _httpClient?.Dispose();
    }

    [LoggerMessage(220, LogLevel.Information, "Requests drained: stopping the MCP server (stdin closed, then SIGTERM, then SIGKILL)")]
    private static partial void LogStoppingServer(ILogger logger);
}
