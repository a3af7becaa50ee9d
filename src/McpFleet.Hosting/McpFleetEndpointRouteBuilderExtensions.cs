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
    /// An invalid config is reported on stderr and ends the process with <see cref="InvalidConfigExitCode"/>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The MCP endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMcpFleetServer</c> was not called.</exception>
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
        catch (OptionsValidationException ex)
        {
            // A clear line and a non-zero exit, not a stack trace: the pod's last log line says what to fix.
            Console.Error.WriteLine($"mcpfleet: invalid server configuration: {string.Join("; ", ex.Failures)}");
            Environment.Exit(InvalidConfigExitCode);
            throw;
        }

        app.UseMiddleware<McpFleetRequestMiddleware>();
        app.MapHealthChecks(RuntimeContract.HealthPath, new HealthCheckOptions { Predicate = static _ => false });
        app.MapHealthChecks(RuntimeContract.ReadyPath, new HealthCheckOptions { Predicate = static _ => true });
        app.MapPrometheusScrapingEndpoint(RuntimeContract.MetricsPath);
        return app.MapMcp(RuntimeContract.McpPath);
    }
}
