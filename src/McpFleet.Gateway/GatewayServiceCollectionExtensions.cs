using McpFleet.Gateway.Auth;
using McpFleet.Gateway.Configuration;
using McpFleet.Gateway.Federation;
using McpFleet.Gateway.Observability;
using McpFleet.Gateway.Sessions;
using McpFleet.Hosting;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OpenTelemetry.Metrics;

namespace McpFleet.Gateway;

/// <summary>Registers and maps the gateway on top of McpFleet.Hosting.</summary>
internal static class GatewayServiceCollectionExtensions
{
    /// <summary>The runtime's switch for running socket completions on the thread that polls the sockets.</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns on inline socket completions unless the environment says otherwise (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>).
    /// Call first thing in <c>Main</c>: the runtime reads the variable once, when the first socket is made.
    /// </summary>
    /// <remarks>
    /// A forwarded call is four socket events (the client's request, the POST to the upstream, its answer, the reply),
    /// each of which would otherwise be handed from the socket poller to a thread-pool worker, and Kestrel's pipes hand
    /// it on once more: a queue operation and often a thread wake-up and a context switch each. Inline, the poller runs
    /// the continuation itself; with Kestrel's inline scheduling as well (<see cref="AddMcpFleetGateway"/>),
    /// bench/Gateway/cpu.sh at c16, pinned: thread-pool work items per call 1.9 → 0, context switches 3.0 → 1.8, gateway
    /// CPU per call −6 % (noisy machine). Safe here because nothing on the gateway's I/O paths blocks a thread; the cost
    /// is that a long synchronous step (building a catalog snapshot) delays the other sockets of the same poller for its
    /// duration.
    /// </remarks>
    public static void PreferInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <summary>
    /// Adds McpFleet.Hosting's MCP server (ports, JSON logs, metrics, drain, Host/Origin, body limit), stateless and with
    /// no tools of its own, and the gateway: the upstreams and their catalog, the message filter that federates, sessions,
    /// authentication, rate limits and metrics.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="settings">The validated config.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddMcpFleetGateway(this IHostApplicationBuilder builder, GatewaySettings settings)
    {
        _ = builder.AddMcpFleetServer(o =>
        {
            o.ServerName = settings.Name;
            o.ServerVersion = typeof(GatewaySettings).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

            // The gateway keeps its sessions in the ids it gives out, never in memory: the SDK serves every request on its own.
            o.SessionMode = McpFleetSessionMode.Stateless;
        });
        var services = builder.Services;

        // With inline socket completions (PreferInlineSocketCompletions) Kestrel's own hop to its I/O queues is the last
        // hand-off left per request; the request then runs on the poller thread that read it.
        var inline = Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";
        services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = inline);
        services.AddSingleton(settings);
        services.AddSingleton<UpstreamHttpClient>();
        services.AddSingleton<UpstreamMetrics>();
        services.AddSingleton<Federation.Federation>();
        services.AddHostedService(static sp => sp.GetRequiredService<Federation.Federation>());
        services.AddSingleton<UpstreamSessionClient>();
        services.AddSingleton<GatewaySessions>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<StatusWriter>();
        services.AddSingleton<CallerRateLimiter>();
        if (settings.Auth?.Jwt is { } jwt)
        {
            services.AddSingleton(jwt);
            services.AddSingleton<JwksSource>();
            services.AddSingleton<JwtValidator>();
        }

        services.AddSingleton(static sp => new CallerAuthenticator(sp.GetRequiredService<GatewaySettings>(), sp.GetService<JwtValidator>()));
        services.AddHttpContextAccessor();
        services.AddSingleton<GatewayRouter>();
        services.AddSingleton<StatelessForwarder>();
        services.AddSingleton<GatewayMessageFilter>();
        services.ConfigureOpenTelemetryMeterProvider(static metrics => metrics.AddMeter(GatewayMetrics.MeterName, UpstreamMetrics.MeterName));
        services.AddOptions<McpServerOptions>().Configure<GatewayMessageFilter>(static (mcp, filter) =>
        {
            mcp.Filters.Message.IncomingFilters.Add(filter.Wrap);
            mcp.Filters.Message.OutgoingFilters.Add(filter.WrapOutgoing);
            mcp.Capabilities = new ServerCapabilities
            {
                Tools = new ToolsCapability { ListChanged = true },
                Prompts = new PromptsCapability { ListChanged = true },
                Resources = new ResourcesCapability { ListChanged = true },
                Completions = new CompletionsCapability(),
                Logging = new LoggingCapability(),
            };
            mcp.ServerInstructions = "One endpoint for many MCP servers: each tool and prompt is named <server>_<name>, each resource URI <server>+<uri>.";
        });
        return builder;
    }

    /// <summary>Maps Hosting's endpoints, then the gateway's authentication, rate limits and sessions in front of the SDK.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapMcpFleetGateway(this WebApplication app)
    {
        _ = app.MapMcpFleet();

        // After Hosting's middleware (metrics port, Host/Origin, body size) and before the endpoints run.
        app.UseMiddleware<GatewayRequestMiddleware>();
        return app;
    }
}
