using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace McpFleet.Hosting.Tests;

/// <summary>A drain is logged once, not as an Error line per readiness probe; other failing checks keep their lines.</summary>
public sealed class DrainingCheckLogFilterTests
{
    [Fact]
    public async Task ReadinessProbes_WhileDraining_LeaveNoErrorLinesForTheDrain_OtherFailingChecksKeepTheirs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await InProcessServer.StartAsync(
            o => o.DrainDelay = TimeSpan.FromSeconds(2),
            build: b => b.Services.AddHealthChecks().AddCheck("cache", () => HealthCheckResult.Unhealthy("cache unreachable"), tags: ["ready"]));

        // As SIGTERM does: the host stops, and the drain delay keeps the server answering with readiness at 503.
        var stopping = server.App.StopAsync(ct);
        var clock = Stopwatch.StartNew();
        while (!server.Logs.Records.Any(r => r.EventId.Id == 2 && r.Category.StartsWith("McpFleet.Hosting", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "the drain was not logged");
            await Task.Delay(20, ct);
        }

        for (var i = 0; i < 3; i++)
        {
            using var ready = await server.Http.GetAsync(RuntimeContract.ReadyPath, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await stopping;
        var checks = server.Logs.Records.Where(r => r.Category.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(checks, r => r.Message.Contains("Health check draining", StringComparison.Ordinal));
        Assert.Equal(3, checks.Count(r => r.Level == LogLevel.Error && r.Message.StartsWith("Health check cache with status Unhealthy", StringComparison.Ordinal)));
    }
}
