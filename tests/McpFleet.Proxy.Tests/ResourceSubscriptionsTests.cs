namespace McpFleet.Proxy.Tests;

/// <summary>One upstream subscription per resource however many sessions subscribe.</summary>
public sealed class ResourceSubscriptionsTests
{
    [Fact]
    public void AddRemove_TwoSessions_ServerToldOnFirstAndLastOnly()
    {
        var subscriptions = new ResourceSubscriptions();
        Assert.True(subscriptions.Add("file:///a", "s1"));
        Assert.False(subscriptions.Add("file:///a", "s2"));
        Assert.False(subscriptions.Add("file:///a", "s2"));
        Assert.Equal(["s1", "s2"], subscriptions.Subscribers("file:///a").Order());
        Assert.False(subscriptions.Remove("file:///a", "s1"));
        Assert.True(subscriptions.Remove("file:///a", "s2"));
        Assert.Empty(subscriptions.Subscribers("file:///a"));
    }

    [Fact]
    public void RemoveSession_EndedSession_ReturnsResourcesNobodyWatchesAnyMore()
    {
        var subscriptions = new ResourceSubscriptions();
        _ = subscriptions.Add("file:///a", "s1");
        _ = subscriptions.Add("file:///b", "s1");
        _ = subscriptions.Add("file:///b", "s2");
        Assert.Equal(["file:///a"], subscriptions.RemoveSession("s1"));
        Assert.Equal(["s2"], subscriptions.Subscribers("file:///b"));
    }
}
