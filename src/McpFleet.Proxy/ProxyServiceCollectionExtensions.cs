using McpFleet.Hosting;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;
using OpenTelemetry.Metrics;

namespace McpFleet.Proxy;

/// <summary>Registers and maps the proxy on top of McpFleet.Hosting.</summary>
internal static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds McpFleet.Hosting's MCP server (ports, config, JSON logs, metrics, drain, Host/Origin, API keys) with no tools
    /// of its own, and the proxy: the upstream, the message filter that forwards to it, readiness and the session registry.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="invocation">The parsed command line.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddMcpFleetProxy(this IHostApplicationBuilder builder, ProxyInvocation invocation)
    {
        _ = builder.AddMcpFleetServer();
        var services = builder.Services;
        services.AddSingleton(invocation);
        services.AddSingleton<IPostConfigureOptions<McpFleetServerOptions>, ProxyServerDefaults>();
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).Validate(
            static o => o.MaxConcurrency > 0 && o.RequestTimeout > TimeSpan.Zero && o.RetryAfter >= TimeSpan.Zero,
            $"{ProxyOptions.SectionName}: MaxConcurrency must be > 0 and RequestTimeout > 0").ValidateOnStart();
        services.AddOptions<UpstreamOptions>().BindConfiguration(ProxyOptions.SectionName)
            .PostConfigure<IOptions<McpFleetServerOptions>>((o, server) =>
            {
                o.ClientName = $"mcpfleet-proxy ({server.Value.ServerName})";
                o.ClientVersion = typeof(ProxyOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
                o.Program = "mcpfleet-proxy";
                o.Reconnects = invocation.Mode == ProxyMode.Http;
            })
            .Validate(
                static o => o.InitializeTimeout > TimeSpan.Zero && o.PingInterval > TimeSpan.Zero && o.PingTimeout > TimeSpan.Zero
                    && o.RestartAfterFailedPings > 0 && o.RestartDelay >= TimeSpan.Zero && o.StopTimeout >= TimeSpan.Zero,
                $"{ProxyOptions.SectionName}: RestartAfterFailedPings must be > 0, every timeout > 0")
            .ValidateOnStart();

        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<ResourceSubscriptions>();
        services.AddSingleton<ProxySessions>();
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<UpstreamMetrics>();
        services.AddSingleton<ProxyUpstream>();
        services.AddHostedService(static sp => sp.GetRequiredService<ProxyUpstream>());
        services.AddHttpContextAccessor();
        services.AddSingleton<ProxyForwarder>();
        services.AddSingleton<ProxyMessageFilter>();
        services.AddHealthChecks().AddCheck<UpstreamHealthCheck>("mcp-server", tags: ["ready"]);
        services.ConfigureOpenTelemetryMeterProvider(static metrics => metrics.AddMeter(ProxyMetrics.MeterName, UpstreamMetrics.MeterName));

        services.AddOptions<McpServerOptions>().Configure<ProxyMessageFilter>(static (mcp, filter) => mcp.Filters.Message.IncomingFilters.Add(filter.Wrap));
        services.AddOptions<HttpServerTransportOptions>().Configure<ProxyUpstream, ProxySessions, IOptions<McpFleetServerOptions>>(static (transport, upstream, sessions, server) =>
        {
            transport.ConfigureSessionOptions = (_, options, _) =>
            {
                upstream.Describe(options);
                return Task.CompletedTask;
            };

            // Stateful sessions are registered so the server's list_changed and log messages reach them. Hosting may
            // have set a RunSessionHandler of its own (session metrics): it runs inside this one.
            if (server.Value.SessionMode is not (null or McpFleetSessionMode.Stateless))
            {
                var inner = transport.RunSessionHandler;
                transport.RunSessionHandler = (http, session, cancellationToken) =>
                    sessions.RunSessionAsync(session, () => inner is null ? session.RunAsync(cancellationToken) : inner(http, session, cancellationToken));
            }
        });
        return builder;
    }

    /// <summary>Maps Hosting's endpoints, then the proxy's readiness with reasons and admission in front of the SDK.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapMcpFleetProxy(this WebApplication app)
    {
        _ = app.MapMcpFleet();

        // After Hosting's middleware (metrics port, Host/Origin, body size, API keys) and before the endpoints run.
        app.UseMiddleware<ReadinessMiddleware>();
        app.UseMiddleware<AdmissionMiddleware>();
        var server = app.Services.GetRequiredService<IOptions<McpFleetServerOptions>>().Value;
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.FastPath && server.SessionMode is null or McpFleetSessionMode.Stateless)
        {
            app.UseMiddleware<ProxyFastPathMiddleware>();
        }

        return app;
    }
}
