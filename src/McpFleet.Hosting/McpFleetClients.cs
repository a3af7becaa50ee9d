using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace McpFleet.Hosting;

/// <summary>Connected MCP clients for the other servers of the fleet, found by Kubernetes DNS.</summary>
public interface IMcpFleetClients
{
    /// <summary>
    /// Gets a connected client for server <paramref name="serverName"/>. The URL comes from
    /// <c>{NAME}_MCP_URL</c> (<see cref="RuntimeContract.DependencyUrlVariable"/>), else the DNS convention
    /// <see cref="RuntimeContract.ServiceUrl"/>. Clients are cached and shared; do not dispose them.
    /// </summary>
    /// <param name="serverName">The DNS-1123 name of the server, e.g. <c>ai-memory</c>.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client.</returns>
    ValueTask<McpClient> GetAsync(string serverName, CancellationToken cancellationToken = default);

    /// <summary>Resolves the MCP endpoint of <paramref name="serverName"/> without connecting.</summary>
    /// <param name="serverName">The DNS-1123 name of the server.</param>
    /// <returns>The absolute MCP URL.</returns>
    Uri ResolveUrl(string serverName);
}

/// <summary>The default <see cref="IMcpFleetClients"/>: one cached connection per dependency over a resilient named HttpClient.</summary>
internal sealed partial class McpFleetClients(
    IHttpClientFactory httpClientFactory,
    IConfiguration configuration,
    IOptions<McpFleetServerOptions> options,
    ILoggerFactory loggerFactory) : IMcpFleetClients, IAsyncDisposable
{
    /// <summary>The name of the HttpClient that carries inter-MCP calls (timeouts, retries, circuit breaker).</summary>
    internal const string HttpClientName = "McpFleet.Dependencies";

    private readonly ConcurrentDictionary<string, Lazy<Task<McpClient>>> _clients = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<McpFleetClients>();

    public Uri ResolveUrl(string serverName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        var variable = RuntimeContract.DependencyUrlVariable(serverName);
        if (configuration[variable] is { Length: > 0 } configured)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"{variable}: '{configured}' is not an absolute URL");
        }

        var o = options.Value;
        var port = o.DependencyPorts.TryGetValue(serverName, out var p) ? p : o.Port;
        return new Uri(RuntimeContract.ServiceUrl(serverName, o.Namespace ?? "default", port));
    }

    public async ValueTask<McpClient> GetAsync(string serverName, CancellationToken cancellationToken = default)
    {
        var lazy = _clients.GetOrAdd(serverName, name => new Lazy<Task<McpClient>>(() => ConnectAsync(name)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            // Do not cache a failed connect: the next call tries again (the dependency may be starting).
            _clients.TryRemove(new KeyValuePair<string, Lazy<Task<McpClient>>>(serverName, lazy));
            throw;
        }
    }

    private async Task<McpClient> ConnectAsync(string serverName)
    {
        var url = ResolveUrl(serverName);
        LogConnecting(_logger, serverName, url);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp, Name = serverName },
            httpClientFactory.CreateClient(HttpClientName),
            loggerFactory,
            ownsHttpClient: true);
        var o = options.Value;
        var clientOptions = new McpClientOptions
        {
            ClientInfo = new() { Name = o.ServerName ?? "mcpfleet-client", Version = o.ServerVersion ?? "0.0.0" },
        };
        using var timeout = new CancellationTokenSource(o.DependencyAttemptTimeout * 3);
        return await McpClient.CreateAsync(transport, clientOptions, loggerFactory, timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _clients.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        _clients.Clear();
    }

    [LoggerMessage(20, LogLevel.Information, "Connecting to MCP dependency {Dependency} at {Url}")]
    private static partial void LogConnecting(ILogger logger, string dependency, Uri url);
}

/// <summary>A readiness check that lists the tools of an MCP dependency through <see cref="IMcpFleetClients"/>.</summary>
internal sealed class McpDependencyHealthCheck(IMcpFleetClients clients, string serverName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var client = await clients.GetAsync(serverName, cancellationToken).ConfigureAwait(false);
            // ping is gone in protocol 2026-07-28, which the SDK client negotiates first; tools/list works in every version.
            _ = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"MCP dependency {serverName} is not answering: {ex.GetType().Name}");
        }
    }
}
