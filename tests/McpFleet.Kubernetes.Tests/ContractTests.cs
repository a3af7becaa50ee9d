namespace McpFleet.Kubernetes.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void RuntimeContract_GracePeriod_CoversEveryShutdownStage()
    {
        Assert.True(RuntimeContract.Shutdown.TerminationGracePeriodSeconds >
            RuntimeContract.Shutdown.PreStopSleepSeconds + RuntimeContract.Shutdown.DrainDelaySeconds + RuntimeContract.Shutdown.ShutdownTimeoutSeconds);
    }
}
