using McpFleet;
using McpFleet.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints of an McpFleet MCP server.</summary>
public static class McpFleetEndpointRouteBuilderExtensions
{
    /// <summary>The exit code of a process whose config is invalid.</summary>
    public const int InvalidConfigExitCode = 2;

    /// <summary>
    /// Maps MCP Streamable HTTP at <see cref="RuntimeContract.McpPath"/>, liveness at <see cref="RuntimeContract.HealthPath"/>,
    /// readiness at <see cref="RuntimeContract.ReadyPath"/> (on the MCP port) and Prometheus at
    /// <see cref="RuntimeContract.MetricsPath"/> (on the metrics port only), behind the Host/Origin, body-size and API-key checks.
    /// An invalid config is reported on stderr and ends the process with <see cref="InvalidConfigExitCode"/>, unless
    /// <see cref="McpFleetServerOptions.ExitOnInvalidConfiguration"/> is off.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The MCP endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMcpFleetServer</c> was not called.</exception>
    /// <exception cref="OptionsValidationException">The config is invalid and <see cref="McpFleetServerOptions.ExitOnInvalidConfiguration"/> is off.</exception>
    public static IEndpointConventionBuilder MapMcpFleet(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<McpFleetMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapMcpFleet() needs the McpFleet services: call builder.AddMcpFleetServer(...) before builder.Build().");
        }

        try
        {
            _ = app.Services.GetRequiredService<IOptions<McpFleetServerOptions>>().Value;
        }
        catch (OptionsValidationException ex) when (ExitsOnInvalidConfiguration(app.Services))
        {
            // A clear line and a documented exit code, not the runtime's "Unhandled exception", a stack trace and SIGABRT
            // (134), which read as a crash: the pod's last log line says what to fix. The host has not started, so
            // nothing is left to stop.
            Console.Error.WriteLine($"mcpfleet: invalid server configuration: {string.Join("; ", ex.Failures)}");
            Environment.Exit(InvalidConfigExitCode);
            throw;
        }

        app.UseMiddleware<McpFleetRequestMiddleware>();
        // Named, so that their "Executing endpoint" lines can be told apart and left out (ProbeRequestLogFilter).
        app.MapHealthChecks(RuntimeContract.HealthPath, new HealthCheckOptions { Predicate = static _ => false }).WithDisplayName(ProbeRequestLogFilter.HealthEndpoint);
        app.MapHealthChecks(RuntimeContract.ReadyPath, new HealthCheckOptions { Predicate = static _ => true }).WithDisplayName(ProbeRequestLogFilter.ReadyEndpoint);
        app.MapPrometheusScrapingEndpoint(RuntimeContract.MetricsPath).WithDisplayName(ProbeRequestLogFilter.MetricsEndpoint);
        return app.MapMcp(RuntimeContract.McpPath);
    }

    /// <summary>Reads <see cref="McpFleetServerOptions.ExitOnInvalidConfiguration"/> from options that failed validation.</summary>
    private static bool ExitsOnInvalidConfiguration(IServiceProvider services) =>
        new OptionsFactory<McpFleetServerOptions>(
            services.GetServices<IConfigureOptions<McpFleetServerOptions>>(),
            services.GetServices<IPostConfigureOptions<McpFleetServerOptions>>())
        .Create(Options.DefaultName).ExitOnInvalidConfiguration;
}
