using System.Net;
using McpFleet;
using McpFleet.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;
using OpenTelemetry.Metrics;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an MCP server that follows the McpFleet runtime contract.</summary>
public static class McpFleetServiceCollectionExtensions
{
    /// <summary>
    /// Adds the official MCP server (Streamable HTTP, stateless by default) with everything the runtime contract asks
    /// for: config from <c>server-config.json</c> and env, Kestrel on the MCP and metrics ports, JSON logs on stdout,
    /// OpenTelemetry metrics for Prometheus, health and readiness checks, the SIGTERM drain and the inter-MCP client.
    /// Replaces the builder's logging providers with the JSON console. Pair with <c>app.MapMcpFleet()</c>.
    /// </summary>
    /// <param name="builder">The application builder (a <c>WebApplicationBuilder</c>).</param>
    /// <param name="configure">Overrides applied after configuration and the config file.</param>
    /// <returns>The SDK's server builder, so that <c>.WithTools&lt;T&gt;()</c> chains.</returns>
    public static IMcpServerBuilder AddMcpFleetServer(this IHostApplicationBuilder builder, Action<McpFleetServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<McpFleetMarker>();
        services.TryAddSingleton(TimeProvider.System);

        var options = services.AddOptions<McpFleetServerOptions>().BindConfiguration(McpFleetServerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<IPostConfigureOptions<McpFleetServerOptions>, McpFleetServerOptionsSetup>();
        services.AddSingleton<IValidateOptions<McpFleetServerOptions>, McpFleetServerOptionsValidator>();
        options.ValidateOnStart();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<McpFleetServerOptions>>(ConfigureKestrel);
        services.AddOptions<HostOptions>().Configure<IOptions<McpFleetServerOptions>>(ConfigureHost);

        ConfigureLogging(builder.Logging);

        services.AddSingleton<McpFleetDrainState>();
        services.AddSingleton<McpFleetMetrics>();
        services.AddSingleton<McpFleetToolCallFilter>();
        services.AddSingleton<McpFleetMessageFilter>();
        services.AddHostedService<McpFleetDrainService>();
        services.AddHealthChecks().AddCheck<DrainingHealthCheck>("draining", tags: ["ready"]);

        // ASP.NET Core: requests, connections and unhandled exceptions. Routing and the memory pool are left out: they
        // add measurements to every request (a match counter, a counter per buffer rented) and say nothing the request
        // histogram does not.
        services.AddOpenTelemetry().WithMetrics(static metrics => metrics
            .AddMeter(McpFleetMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics")
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider(static (sp, metrics) =>
        {
            metrics.AddView(McpFleetMetrics.AspNetCoreActiveRequestsName, MetricStreamConfiguration.Drop);

            // The SDK's meter is collected for mcp.server.session.duration alone, and only in stateful modes: stateless,
            // the SDK opens and closes a "session" around every request. Its mcp.server.operation.duration is replaced
            // by the library's (see McpFleetMetrics), and a meter nobody listens to costs its callers nothing.
            if (TryGetValid(sp.GetRequiredService<IOptions<McpFleetServerOptions>>())?.SessionMode is McpFleetSessionMode.Stateful or McpFleetSessionMode.StatefulForInitializeClients)
            {
                metrics.AddMeter(McpFleetMetrics.SdkMeterName);
                metrics.AddView(static i => i.Meter.Name == McpFleetMetrics.SdkMeterName && i.Name == McpFleetMetrics.OperationDurationName ? MetricStreamConfiguration.Drop : null);
            }
        });

        services.AddHttpClient(McpFleetClients.HttpClientName, static c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(static r =>
            {
                // tools/call is not idempotent: retry only what never reached a replica (connect failures)
                // or what a draining or overloaded replica refused before running it.
                r.Retry.ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Result.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests } => true,
                    _ => false,
                });
            });
        services.TryAddSingleton<IMcpFleetClients, McpFleetClients>();

        services.AddOptions<McpServerOptions>().Configure<IOptions<McpFleetServerOptions>, McpFleetToolCallFilter, McpFleetMessageFilter>(static (mcp, o, toolCalls, messages) =>
        {
            mcp.ServerInfo = new() { Name = o.Value.ServerName ?? "mcp-server", Version = o.Value.ServerVersion ?? "0.0.0" };
            mcp.Filters.Request.CallToolFilters.Add(toolCalls.Wrap);
            mcp.Filters.Message.IncomingFilters.Add(messages.Wrap);
        });
        services.AddOptions<HttpServerTransportOptions>().Configure<IOptions<McpFleetServerOptions>, McpFleetMetrics>(ConfigureTransport);

        return services.AddMcpServer().WithHttpTransport();
    }

    /// <summary>Adds a readiness check that lists the tools of MCP dependency <paramref name="serverName"/> through <see cref="IMcpFleetClients"/>.</summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="serverName">The dependency's DNS-1123 name.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddMcpFleetDependency(this IHealthChecksBuilder builder, string serverName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        return builder.Add(new HealthCheckRegistration(
            "mcp-dependency:" + serverName,
            sp => new McpDependencyHealthCheck(sp.GetRequiredService<IMcpFleetClients>(), serverName),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(RuntimeContract.Probes.TimeoutSeconds) / 2));
    }

    private static void ConfigureHost(HostOptions host, IOptions<McpFleetServerOptions> options)
    {
        // The drain delay runs inside the host's stop sequence, so the bound covers both stages.
        if (TryGetValid(options) is { } o)
        {
            host.ShutdownTimeout = o.DrainDelay + o.ShutdownTimeout;
        }
    }

    /// <summary>
    /// Build() reads HostOptions and KestrelServerOptions before <c>MapMcpFleet</c> can report a bad config with a
    /// clear message and exit; until then an invalid config leaves those defaults alone instead of crashing Build().
    /// </summary>
    private static McpFleetServerOptions? TryGetValid(IOptions<McpFleetServerOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, IOptions<McpFleetServerOptions> options)
    {
        if (TryGetValid(options) is not { } o)
        {
            return;
        }

        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = o.MaxRequestBodyBytes;
        foreach (var port in (ReadOnlySpan<int>)[o.Port, o.MetricsPort])
        {
            if (o.BindAddress is { Length: > 0 } address)
            {
                kestrel.Listen(IPAddress.Parse(address), port);
            }
            else
            {
                kestrel.ListenAnyIP(port);
            }
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(static json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            json.JsonWriterOptions = new() { Indented = false };
        });
        logging.Configure(static l => l.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        logging.Services.Configure<ConsoleLoggerOptions>(static c => c.LogToStandardErrorThreshold = LogLevel.None);
    }

    private static void ConfigureTransport(HttpServerTransportOptions transport, IOptions<McpFleetServerOptions> options, McpFleetMetrics metrics)
    {
        var mode = options.Value.SessionMode ?? McpFleetSessionMode.Stateless;
        transport.SessionMode = mode switch
        {
            McpFleetSessionMode.Stateful => HttpServerSessionMode.Stateful,
            McpFleetSessionMode.StatefulForInitializeClients => HttpServerSessionMode.StatefulForInitializeClients,
            _ => HttpServerSessionMode.Stateless,
        };
        if (mode != McpFleetSessionMode.Stateless)
        {
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the only hook around a session's lifetime.
            transport.RunSessionHandler = async (_, server, cancellationToken) =>
            {
                metrics.SessionOpened();
                try
                {
                    await server.RunAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    metrics.SessionClosed();
                }
            };
#pragma warning restore MCPEXP002
        }
    }
}

/// <summary>Marks that <c>AddMcpFleetServer</c> ran, so <c>MapMcpFleet</c> can say so when it did not.</summary>
internal sealed class McpFleetMarker;
