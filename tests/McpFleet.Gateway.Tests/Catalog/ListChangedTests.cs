using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Gateway.Tests.Isolation;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Gateway.Tests.Catalog;

/// <summary>Clients are told when the federated lists change: a session's GET stream and 2026-07-28 <c>subscriptions/listen</c>.</summary>
public sealed class ListChangedTests
{
    [Fact]
    public async Task ListChanged_UpstreamGoesAndReturns_SessionClientAndListenStreamAreTold()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = new LoopbackFleetOf(["alpha", "beta"]);
        await fleet.StartAsync();
        await using var gateway = await GatewayProcess.StartWithSessionsAsync(fleet.Config);
        await gateway.WaitForUpstreamAsync("alpha", "up");
        await gateway.WaitForUpstreamAsync("beta", "up");

        // A 2025-11-25 client with a gateway session: the SDK opens the session's GET stream itself.
        var legacy = Channel.CreateUnbounded<string>();
        await using var client = await gateway.ConnectAsync();
        Assert.True(client.ServerCapabilities.Tools?.ListChanged);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (n, _) =>
        {
            legacy.Writer.TryWrite(n.Method);
            return ValueTask.CompletedTask;
        });

        // A 2026-07-28 client's subscriptions/listen: the acknowledgement, then list_changed tagged with its id.
        using var listen = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":"sub-1","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}""",
                Encoding.UTF8,
                "application/json"),
        };
        listen.Headers.Accept.ParseAdd("application/json");
        listen.Headers.Accept.ParseAdd("text/event-stream");
        listen.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        listen.Headers.Add("Mcp-Method", "subscriptions/listen");
        using var stream = await gateway.Http.SendAsync(listen, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        var ack = await NextMessageAsync(reader, ct);
        Assert.Equal("notifications/subscriptions/acknowledged", (string?)ack["method"]);
        Assert.Equal(true, (bool?)ack["params"]!["notifications"]!["toolsListChanged"]);

        // Both streams must be registered at the gateway before beta goes, or the news of it has no one to reach: the
        // SDK opens its GET stream on its own after connecting, so wait for the gateway to count both.
        await gateway.WaitForListChangedStreamsAsync(2);
        await fleet.Servers["beta"].KillAsync();
        Assert.Equal(NotificationMethods.ToolListChangedNotification, await legacy.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct));
        var changed = await NextMessageAsync(reader, ct);
        Assert.Equal(NotificationMethods.ToolListChangedNotification, (string?)changed["method"]);
        Assert.Equal("sub-1", (string?)changed["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]);
        Assert.DoesNotContain((await client.ListToolsAsync(cancellationToken: ct)), t => t.Name.StartsWith("beta_", StringComparison.Ordinal));

        // beta returns: both are told again, and its tools are back.
        await fleet.RestartAsync("beta");
        Assert.Equal(NotificationMethods.ToolListChangedNotification, await legacy.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct));
        Assert.Equal(NotificationMethods.ToolListChangedNotification, (string?)(await NextMessageAsync(reader, ct))["method"]);
        Assert.Contains((await client.ListToolsAsync(cancellationToken: ct)), t => t.Name == "beta_echo");
    }

    private static async Task<JsonNode> NextMessageAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!;
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}

/// <summary>The gateway's catalog follows an upstream's own changes: its list_changed, and the periodic check.</summary>
public sealed class CatalogRefreshTests
{
    [Fact]
    public async Task ListTools_UpstreamAddsAToolAndSaysSo_GatewayListsItWithoutWaitingForTheCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync(stateful: true);
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["catalogRefresh"] = "1h",
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        await using var client = await gateway.ConnectAsync();
        Assert.DoesNotContain((await client.ListToolsAsync(cancellationToken: ct)), t => t.Name == "recording_added");

        upstream.Tools.Add(McpServerTool.Create((string text) => text, new McpServerToolCreateOptions { Name = "added", Description = "Added while running." }));
        await WaitForToolAsync(client, "recording_added", ct);
    }

    [Fact]
    public async Task ListTools_UpstreamChangesSilently_GatewayListsItAfterThePeriodicCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync(stateful: false);
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["catalogRefresh"] = "1s",
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        await using var client = await gateway.ConnectAsync();

        // Stateless, the server has no channel to say it changed: only the check finds the new tool.
        upstream.ExtraTools.Enqueue(new Tool { Name = "silent", Description = "Listed without a notification.", InputSchema = System.Text.Json.JsonDocument.Parse("{\"type\":\"object\"}").RootElement });
        await WaitForToolAsync(client, "recording_silent", ct);
    }

    [Fact]
    public async Task ListTools_UpstreamFailsItsFirstLists_GatewayReadsThemAgainSoonNotAtTheCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.FailToolLists = 2;
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["catalogRefresh"] = "1h",
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        await using var client = await gateway.ConnectAsync();

        // Read at connect (failed), after 1 s (failed), after 2 s more: listed long before the hour's check.
        await WaitForToolAsync(client, "recording_echo", ct);
        Assert.Equal(2, gateway.Process.LogLines.Count(l => l.Contains("\"EventId\":300", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListTools_OneUpstreamsListAlwaysFails_TheCheckStillFindsAnothersSilentChange()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var failing = await RecordingUpstream.StartAsync();
        await using var changing = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(
                new JsonObject { ["name"] = "failing", ["url"] = failing.McpUrl.ToString() },
                new JsonObject { ["name"] = "changing", ["url"] = changing.McpUrl.ToString() }),
            ["catalogRefresh"] = "1s",
        });
        await gateway.WaitForUpstreamAsync("failing", "up");
        await gateway.WaitForUpstreamAsync("changing", "up");
        await using var client = await gateway.ConnectAsync();

        // Its list starts failing at a periodic check, which starts a round of retries; they run on their own, and the
        // check goes on for the other upstream.
        failing.FailToolLists = int.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (gateway.Process.LogLines.Count(l => l.Contains("\"EventId\":300", StringComparison.Ordinal)) < 3)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the failing list was not read again");
            await Task.Delay(50, ct);
        }

        changing.ExtraTools.Enqueue(new Tool { Name = "silent", Description = "Listed without a notification.", InputSchema = System.Text.Json.JsonDocument.Parse("{\"type\":\"object\"}").RootElement });
        await WaitForToolAsync(client, "changing_silent", ct);
    }

    private static async Task WaitForToolAsync(ModelContextProtocol.Client.McpClient client, string name, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if ((await client.ListToolsAsync(cancellationToken: cancellationToken)).Any(t => t.Name == name))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"{name} was not listed within 30 s");
    }
}
