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
    /// <summary>The name of the readiness check that fails from SIGTERM on.</summary>
    internal const string DrainingCheckName = "draining";

    /// <summary>
    /// Adds the official MCP server (Streamable HTTP, stateless by default) with everything the runtime contract asks
    /// for: config from <c>server-config.json</c> and env, Kestrel on the MCP and metrics ports, JSON logs on stdout,
    /// OpenTelemetry metrics for Prometheus, health and readiness checks, the SIGTERM drain and the inter-MCP client.
    /// Replaces the builder's logging providers with the JSON console. Pair with <c>app.MapMcpFleet()</c>.
    /// Idempotent: a second call registers nothing again and only adds its <paramref name="configure"/> delegate.
    /// </summary>
    /// <param name="builder">The application builder (a <c>WebApplicationBuilder</c>).</param>
    /// <param name="configure">Overrides applied after configuration and the config file.</param>
    /// <returns>The SDK's server builder, so that <c>.WithTools&lt;T&gt;()</c> chains.</returns>
    public static IMcpServerBuilder AddMcpFleetServer(this IHostApplicationBuilder builder, Action<McpFleetServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // What cannot be added twice safely (configuration binding, health checks, OpenTelemetry, the HttpClient and its
        // resilience handler, the logging providers) is added on the first call only; a second call adds its delegate.
        if (!services.Any(static d => d.ServiceType == typeof(McpFleetMarker)))
        {
            services.AddSingleton<McpFleetMarker>();
            services.AddOptions<McpFleetServerOptions>().BindConfiguration(McpFleetServerOptions.SectionName).ValidateOnStart();
            services.AddHealthChecks().AddCheck<DrainingHealthCheck>(DrainingCheckName, tags: ["ready"]);
            AddMetrics(services);
            AddDependencyClient(services);
            builder.Logging.ClearProviders().AddConsole();
            DecorateLoggerFactory(services);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<McpFleetServerOptions>, McpFleetServerOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpFleetServerOptions>, McpFleetServerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HostOptions>, HostOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<McpServerOptions>, McpServerOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpServerTransportOptions>, HttpTransportOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HttpServerTransportOptions>, HttpTransportOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JsonConsoleFormatterOptions>, JsonLoggingSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ConsoleLoggerOptions>, JsonLoggingSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<LoggerFactoryOptions>, JsonLoggingSetup>());
        services.TryAddSingleton<McpFleetDrainState>();
        services.TryAddSingleton<McpFleetMetrics>();
        services.TryAddSingleton<McpFleetSessionLimiter>();
        services.TryAddSingleton<McpFleetToolCallFilter>();
        services.TryAddSingleton<McpFleetMessageFilter>();
        services.TryAddSingleton<IMcpFleetClients, McpFleetClients>();
        services.AddHostedService<McpFleetDrainService>(); // TryAddEnumerable inside

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

    private static void AddMetrics(IServiceCollection services)
    {
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
            // The SDK's meter is collected for mcp.server.session.duration alone, and only in stateful modes: stateless,
            // the SDK opens and closes a "session" around every request. Its mcp.server.operation.duration is replaced
            // by the library's (see McpFleetMetrics), and a meter nobody listens to costs its callers nothing.
            if (McpFleetServerOptionsValidator.TryGetValid(sp.GetRequiredService<IOptions<McpFleetServerOptions>>())?.SessionMode is McpFleetSessionMode.Stateful or McpFleetSessionMode.StatefulForInitializeClients)
            {
                metrics.AddMeter(McpFleetMetrics.SdkMeterName);
            }

            // One view for every instrument: an instrument two views match is collected once per view, so a second view
            // would bring back what this one drops.
            metrics.AddView(McpFleetMetrics.View);
        });
    }

    /// <summary>Wraps the host's logger factory in <see cref="McpFleetLoggerFactory"/>, which filters probe and SDK noise for every provider.</summary>
    private static void DecorateLoggerFactory(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerFactory) || descriptor.IsKeyedService)
            {
                continue;
            }

            Func<IServiceProvider, ILoggerFactory>? create = descriptor switch
            {
                // The host's default, built as the container would build it (AOT-safe: no activator).
                { ImplementationType: { } type } when type == typeof(LoggerFactory) => static sp => new LoggerFactory(
                    sp.GetServices<ILoggerProvider>(),
                    sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                    sp.GetService<IOptions<LoggerFactoryOptions>>(),
                    sp.GetService<IExternalScopeProvider>()),
                { ImplementationFactory: { } factory } => sp => (ILoggerFactory)factory(sp),
                _ => null, // a factory instance or type of someone else's: left as it is
            };
            if (create is not null)
            {
                services[i] = ServiceDescriptor.Singleton<ILoggerFactory>(sp => new McpFleetLoggerFactory(create(sp)));
            }

            return;
        }
    }

    private static void AddDependencyClient(IServiceCollection services) =>
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
}

/// <summary>Marks that <c>AddMcpFleetServer</c> ran, so <c>MapMcpFleet</c> can say so when it did not.</summary>
internal sealed class McpFleetMarker;
