using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;
using McpFleet.Tests;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Tests.Federation;

/// <summary>A real fleet behind the gateway: the union of its tools, calls routed by name, prompts, resources, completions, pages.</summary>
public sealed class FederationTests
{
    private static readonly string[] s_fleet = ["conformance", "notes", "everything", "filesystem"];

    [Fact]
    public async Task ListTools_FleetOfFourServers_CSharpAndTypeScriptClientsSeeTheUnionPrefixed()
    {
        await using var fleet = await LoopbackFleet.StartAsync(s_fleet);
        await using var gateway = await GatewayProcess.StartAsync(fleet.Config());
        foreach (var name in s_fleet)
        {
            await gateway.WaitForUpstreamAsync(name, "up");
        }

        // What each server lists directly, each name with its server's prefix, is what the gateway lists.
        List<string> expected = [];
        foreach (var name in s_fleet)
        {
            await using var direct = await McpClient.CreateAsync(
                new HttpClientTransport(new HttpClientTransportOptions { Endpoint = fleet.Servers[name].McpUrl, TransportMode = HttpTransportMode.StreamableHttp }),
                new McpClientOptions { ProtocolVersion = "2025-11-25" },
                cancellationToken: TestContext.Current.CancellationToken);
            expected.AddRange((await direct.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => $"{name}_{t.Name}"));
        }

        await using var client = await gateway.ConnectAsync();
        var tools = (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToList();
        Assert.Equal(expected, tools);
        Assert.Contains("notes_notes_add", tools);
        Assert.Contains("filesystem_read_text_file", tools);

        var echo = await client.CallToolAsync("conformance_echo", new Dictionary<string, object?> { ["message"] = "through the gateway" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("through the gateway", Assert.IsType<TextContentBlock>(Assert.Single(echo.Content)).Text);
        var note = await client.CallToolAsync("notes_notes_add", new Dictionary<string, object?> { ["text"] = "federated" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("saved", Assert.IsType<TextContentBlock>(Assert.Single(note.Content)).Text, StringComparison.Ordinal);
        var file = await client.CallToolAsync("filesystem_read_text_file", new Dictionary<string, object?> { ["path"] = Path.Combine(fleet.FilesRoot, "hello.txt") }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("hello from the fleet", Assert.IsType<TextContentBlock>(Assert.Single(file.Content)).Text, StringComparison.Ordinal);

        // The TypeScript SDK (1.x, 2025-11-25) sees the same union and calls an npm server's tool through two hops.
        var ts = await ExternalTools.RunAsync(
            ExternalTools.Node,
            [Path.Combine(AppContext.BaseDirectory, "clients", "list-and-call.mjs"), gateway.McpUrl.ToString(), "everything_echo", """{"message":"from typescript"}"""],
            environment: new Dictionary<string, string> { ["NODE_MODULES_DIR"] = ExternalTools.NodeModules });
        ts.EnsureSuccess();
        var output = JsonNode.Parse(ts.StandardOutput)!;
        Assert.Equal(expected, output["tools"]!.AsArray().Select(t => (string)t!).ToList());
        Assert.Contains("from typescript", (string?)output["call"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTools_MoreToolsThanAPage_CursorWalksEveryUpstreamOnce()
    {
        await using var fleet = await LoopbackFleet.StartAsync("conformance", "notes");
        var config = fleet.Config();
        config["pageSize"] = 4;
        await using var gateway = await GatewayProcess.StartAsync(config);
        await gateway.WaitForUpstreamAsync("conformance", "up");
        await gateway.WaitForUpstreamAsync("notes", "up");
        await using var client = await gateway.ConnectAsync();

        List<string> names = [];
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, TestContext.Current.CancellationToken);
            Assert.InRange(page.Tools.Count, 1, 4);
            names.AddRange(page.Tools.Select(t => t.Name));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        var all = (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToList();
        Assert.Equal(all, names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal((names.Count + 3) / 4, pages);
        Assert.Contains(names, n => n.StartsWith("conformance_", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("notes_", StringComparison.Ordinal));

        using var bad = await gateway.PostMcpAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"not-a-cursor"}}""", cancellationToken: TestContext.Current.CancellationToken);
        var text = await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("-32602", text, StringComparison.Ordinal);
        Assert.Contains("Invalid cursor", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptsResourcesCompletions_ThroughTheGateway_NamespacedAndRoutedBack()
    {
        await using var fleet = await LoopbackFleet.StartAsync("conformance", "everything");
        await using var gateway = await GatewayProcess.StartAsync(fleet.Config());
        await gateway.WaitForUpstreamAsync("conformance", "up");
        await gateway.WaitForUpstreamAsync("everything", "up");
        await using var client = await gateway.ConnectAsync();
        var ct = TestContext.Current.CancellationToken;

        var prompts = (await client.ListPromptsAsync(cancellationToken: ct)).Select(p => p.Name).ToList();
        Assert.Contains("conformance_test_simple_prompt", prompts);
        Assert.Contains(prompts, p => p.StartsWith("everything_", StringComparison.Ordinal));
        var prompt = await client.GetPromptAsync("conformance_test_prompt_with_arguments", new Dictionary<string, object?> { ["arg1"] = "one", ["arg2"] = "two" }, cancellationToken: ct);
        Assert.Contains("arg1='one'", Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text, StringComparison.Ordinal);

        var resources = await client.ListResourcesAsync(cancellationToken: ct);
        var staticText = Assert.Single(resources, r => r.Uri == "conformance+test://static-text");
        var read = await client.ReadResourceAsync(staticText.Uri, cancellationToken: ct);
        var content = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal("conformance+test://static-text", content.Uri);

        var templates = await client.ListResourceTemplatesAsync(cancellationToken: ct);
        Assert.Contains(templates, t => t.UriTemplate.StartsWith("conformance+", StringComparison.Ordinal));

        var completion = await client.CompleteAsync(new PromptReference { Name = "conformance_test_prompt_with_arguments" }, "arg1", "p", cancellationToken: ct);
        Assert.Equal(["paris", "park", "party"], completion.Completion.Values);

        // A name no upstream's prefix fits, and one whose upstream does not list it, are unknown tools.
        var unknown = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(async () =>
            await client.CallToolAsync("nobody_echo", cancellationToken: ct));
        Assert.Contains("Unknown tool", unknown.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(async () =>
            await client.CallToolAsync("conformance_no_such_tool", cancellationToken: ct));
        Assert.Contains("Unknown tool", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallTool_ProtocolRevision20260728Client_ListsAndCallsLegacyUpstreams()
    {
        await using var fleet = await LoopbackFleet.StartAsync("conformance", "everything");
        await using var gateway = await GatewayProcess.StartAsync(fleet.Config());
        await gateway.WaitForUpstreamAsync("conformance", "up");
        await gateway.WaitForUpstreamAsync("everything", "up");

        // Negotiating: the C# SDK 2.4 client speaks 2026-07-28; the npm server behind the proxy knows 2025-11-25 at most.
        await using var client = await gateway.ConnectAsync(protocolVersion: null);
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.True(client.ServerCapabilities.Tools?.ListChanged); // subscriptions/listen delivers it
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(tools, t => t.Name == "everything_echo");
        var result = await client.CallToolAsync("everything_echo", new Dictionary<string, object?> { ["message"] = "modern" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("modern", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text, StringComparison.Ordinal);
    }
}
