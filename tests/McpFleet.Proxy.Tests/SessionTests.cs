using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy.Tests;

/// <summary>Stateful sessions: the child's list_changed reaches clients, and its sampling request goes back to the caller.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private ProxyProcess _proxy = null!;

    public async ValueTask InitializeAsync() => _proxy = await ProxyProcess.StartAsync(
        ["stdio", .. Children.Legacy()],
        new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.SessionMode] = "StatefulForInitializeClients" });

    public async ValueTask DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task ToolsListChanged_FromTheChild_ReachesEverySession_AndTheListIsFresh()
    {
        await using var caller = await _proxy.ConnectAsync("2025-06-18");
        await using var bystander = await _proxy.ConnectAsync("2025-11-25");
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = bystander.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
        {
            heard.TrySetResult();
            return ValueTask.CompletedTask;
        });

        var before = (await bystander.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Count;
        _ = await caller.CallToolAsync("add_tool", cancellationToken: TestContext.Current.CancellationToken);
        await heard.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(before + 1, (await bystander.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task SamplingRequestFromTheChild_RoutedToTheCallingSession()
    {
        await using var client = await _proxy.ConnectAsync("2025-06-18", o => o.Handlers.SamplingHandler = (request, _, _) =>
            ValueTask.FromResult(new CreateMessageResult { Model = "test-model", Role = Role.Assistant, Content = [new TextContentBlock { Text = "from the caller" }] }));
        var result = await client.CallToolAsync("sample", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("sampled: from the caller", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task SamplingRequestFromTheChild_CallerWithoutTheCapability_ChildGetsAnErrorAtOnce()
    {
        await using var client = await _proxy.ConnectAsync("2025-06-18");
        var result = await client.CallToolAsync("sample", cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError);
        Assert.StartsWith("sampling failed: -32601 mcpfleet-proxy: no client waiting on this server can answer sampling/createMessage", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text, StringComparison.Ordinal);
    }
}
