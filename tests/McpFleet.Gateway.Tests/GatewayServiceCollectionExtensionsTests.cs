namespace McpFleet.Gateway.Tests;

/// <summary>The gateway's process-wide runtime settings.</summary>
public sealed class GatewayServiceCollectionExtensionsTests
{
    [Fact]
    public void PreferInlineSocketCompletions_UnsetOrSetByTheOperator_OnUnlessTheOperatorSaidOtherwise()
    {
        const string Variable = GatewayServiceCollectionExtensions.InlineCompletionsVariable;
        var original = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, null);
            GatewayServiceCollectionExtensions.PreferInlineSocketCompletions();
            Assert.Equal("1", Environment.GetEnvironmentVariable(Variable));

            Environment.SetEnvironmentVariable(Variable, "0");
            GatewayServiceCollectionExtensions.PreferInlineSocketCompletions();
            Assert.Equal("0", Environment.GetEnvironmentVariable(Variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, original);
        }
    }
}
