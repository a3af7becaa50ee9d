namespace McpFleet.Contracts.Tests;

/// <summary>What the contract computes: dependency variable names, service URLs, the variables McpFleet sets itself, and the shutdown timings adding up to the grace period.</summary>
public sealed class RuntimeContractTests
{
    [Theory]
    [InlineData("ai-memory", "AI_MEMORY_MCP_URL")]
    [InlineData("github", "GITHUB_MCP_URL")]
    public void DependencyUrlVariable_ServerName_UpperSnakeWithSuffix(string server, string expected)
    {
        Assert.Equal(expected, RuntimeContract.DependencyUrlVariable(server));
    }

    [Fact]
    public void ServiceUrl_Server_KubernetesDnsConvention()
    {
        Assert.Equal("http://mcp-ai-memory.sophia-ai.svc.cluster.local:9000/mcp", RuntimeContract.ServiceUrl("ai-memory", "sophia-ai", 9000));
    }

    [Fact]
    public void SetByMcpFleet_TheListAndThePredicate_Agree()
    {
        string[] others = ["PORT", RuntimeContract.EnvironmentVariables.ApiKeys, "AI_MEMORY_MCP_URL", "environment", ""];

        Assert.All(RuntimeContract.EnvironmentVariables.SetByMcpFleet, name => Assert.True(RuntimeContract.EnvironmentVariables.IsSetByMcpFleet(name), name));
        Assert.All(others, name => Assert.False(RuntimeContract.EnvironmentVariables.IsSetByMcpFleet(name), name));
        Assert.Equal(
            ["ENVIRONMENT", "MCPFLEET_CONFIG_PATH", "MCP_SESSION_MODE", "METRICS_PORT", "POD_NAMESPACE", "SERVER_PORT"],
            RuntimeContract.EnvironmentVariables.SetByMcpFleet.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RuntimeContract_GracePeriod_CoversEveryShutdownStage()
    {
        Assert.True(RuntimeContract.Shutdown.TerminationGracePeriodSeconds >
            RuntimeContract.Shutdown.PreStopSleepSeconds + RuntimeContract.Shutdown.DrainDelaySeconds + RuntimeContract.Shutdown.ShutdownTimeoutSeconds);
    }
}
