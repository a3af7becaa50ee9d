using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using McpFleet.Gateway.Tests.Fleet;

namespace McpFleet.Gateway.Tests.Federation;

/// <summary>
/// The stateless fast path (a routed call outside a gateway session, POSTed straight to its upstream) against the SDK
/// path (the SDK's per-request server and the shared connection): same answers, same refusals, and the requests that
/// must stay on the SDK path stay there. Whether a call took the fast path shows at the upstream: only the fast path
/// forwards the client's JSON-RPC id as sent.
/// </summary>
public sealed class FastPathTests
{
    private const string LimitedKey = "fast-path-limited-key";

    [Fact]
    public async Task Forward_SameCallsOnFastPathAndSdkPath_SameAnswers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackFleet.StartConformance("conformance").WaitReadyAsync();
        await using var fast = await StartLimitedAsync(upstream, fastPath: true);
        await using var sdk = await StartLimitedAsync(upstream, fastPath: false);

        string[] calls =
        [
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"conformance_echo","arguments":{"message":"same"}}}""",
            """{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"conformance_test_simple_text","arguments":{}}}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nobody_echo","arguments":{}}}""",
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"arguments":{}}}""",
            """{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"conformance_test_prompt_with_arguments","arguments":{"arg1":"one","arg2":"two"}}}""",
            """{"jsonrpc":"2.0","id":6,"method":"resources/read","params":{"uri":"conformance+test://static-text"}}""",
            """{"jsonrpc":"2.0","id":7,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"conformance_test_prompt_with_arguments"},"argument":{"name":"arg1","value":"p"}}}""",
        ];
        List<JsonNode> answers = [];
        foreach (var call in calls)
        {
            var viaFast = await AnswerAsync(fast, call, LimitedKey);
            var viaSdk = await AnswerAsync(sdk, call, LimitedKey);
            Assert.True(JsonNode.DeepEquals(viaFast, viaSdk), $"{call}\nfast path: {viaFast.ToJsonString()}\nSDK path:  {viaSdk.ToJsonString()}");
            answers.Add(viaFast);
        }

        Assert.Equal("same", (string?)answers[0]["result"]!["content"]![0]!["text"]);
        Assert.Equal(1, (int)answers[0]["id"]!);

        // Outside the caller's allow-list is refused exactly like a tool that does not exist.
        Assert.Equal("two", (string?)answers[1]["id"]);
        Assert.Equal("Unknown tool: 'conformance_test_simple_text'", (string?)answers[1]["error"]!["message"]);
        Assert.Equal("Unknown tool: 'nobody_echo'", (string?)answers[2]["error"]!["message"]);
        Assert.Equal("Missing 'name'", (string?)answers[3]["error"]!["message"]);
        Assert.Contains("arg1='one'", (string?)answers[4]["result"]!["messages"]![0]!["content"]!["text"], StringComparison.Ordinal);
        Assert.Equal("conformance+test://static-text", (string?)answers[5]["result"]!["contents"]![0]!["uri"]);
        Assert.Equal(new JsonArray("paris", "park", "party").ToJsonString(), answers[6]["result"]!["completion"]!["values"]!.ToJsonString());

        // Both recorded the same outcomes in the same series.
        foreach (var gateway in new[] { fast, sdk })
        {
            var metrics = await gateway.Process.MetricsAsync();
            Assert.Contains("reason=\"tool_not_allowed\"", metrics, StringComparison.Ordinal);
            Assert.Contains("gen_ai_tool_name=\"conformance_echo\"", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forward_StatelessCall_UpstreamGetsTheClientsIdTraceparentAndProtocolVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        var answer = await AnswerAsync(gateway, Echo("fast-probe-1", "hello"), configure: r => r.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        Assert.Equal("hello", (string?)answer["result"]!["content"]![0]!["text"]);
        Assert.Equal("fast-probe-1", (string?)answer["id"]);
        var forwarded = Assert.Single(upstream.Bodies, b => b.Contains("\"fast-probe-1\"", StringComparison.Ordinal));
        Assert.Contains("\"name\":\"echo\"", forwarded, StringComparison.Ordinal);
        var headers = Assert.Single(upstream.Requests, r => r.TryGetValue("traceparent", out var t) && t.Contains(traceId, StringComparison.Ordinal));
        Assert.True(headers.TryGetValue("MCP-Protocol-Version", out var version) && version.Length > 0);
        Assert.False(headers.ContainsKey("Mcp-Session-Id"));

        // With the fast path off, the same call goes through the SDK and the shared connection, under its own id.
        await using var off = await StartRecordingAsync(upstream, fastPath: false);
        answer = await AnswerAsync(off, Echo("sdk-probe-1", "hello"));
        Assert.Equal("sdk-probe-1", (string?)answer["id"]);
        Assert.Contains(upstream.Bodies, b => b.Contains("\"hello\"", StringComparison.Ordinal) && !b.Contains("probe", StringComparison.Ordinal));
        Assert.DoesNotContain(upstream.Bodies, b => b.Contains("\"sdk-probe-1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forward_SessionAnd20260728Requests_StayOnTheSdkPath()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartWithSessionsAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            });
        await gateway.WaitForUpstreamAsync("recording", "up");

        using var init = await gateway.PostMcpAsync(
            """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
            cancellationToken: ct);
        var sessionId = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));
        var inSession = await AnswerAsync(gateway, Echo("session-probe", "in session"), configure: r =>
        {
            r.Headers.Add("Mcp-Session-Id", sessionId);
            r.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        });
        Assert.Equal("in session", (string?)inSession["result"]!["content"]![0]!["text"]);

        var modernCall = (JsonObject)JsonNode.Parse(Echo("modern-probe", "modern"))!;
        modernCall["params"]!["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" },
        };
        var modern = await AnswerAsync(gateway, modernCall.ToJsonString(), configure: r =>
        {
            r.Headers.Add("MCP-Protocol-Version", "2026-07-28");
            r.Headers.Add("Mcp-Method", "tools/call");
            r.Headers.Add("Mcp-Name", "recording_echo");
        });
        Assert.Equal("modern", (string?)modern["result"]!["content"]![0]!["text"]);
        Assert.Equal("complete", (string?)modern["result"]!["resultType"]);

        var stateless = await AnswerAsync(gateway, Echo("stateless-probe", "stateless"));
        Assert.Equal("stateless", (string?)stateless["result"]!["content"]![0]!["text"]);

        Assert.DoesNotContain(upstream.Bodies, b => b.Contains("session-probe", StringComparison.Ordinal) || b.Contains("modern-probe", StringComparison.Ordinal));
        Assert.Contains(upstream.Bodies, b => b.Contains("\"stateless-probe\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forward_SlowUpstream_TimesOutWithTheSdkPathsErrorAndClientAbortCancelsThere()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true, timeout: "1s");

        var clock = Stopwatch.StartNew();
        var timedOut = await AnswerAsync(gateway, """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"recording_slow","arguments":{"milliseconds":20000}}}""");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(-32001, (int)timedOut["error"]!["code"]!);
        Assert.Equal("mcpfleet-gateway: upstream 'recording' did not answer tools/call within 1 s; the request was cancelled there", (string?)timedOut["error"]!["message"]);
        Assert.Equal("recording", (string?)timedOut["error"]!["data"]!["upstream"]);
        await WaitAsync(() => upstream.Cancelled == 1, "the timed-out call was not cancelled at the upstream");

        // A client that leaves aborts its upstream POST: the upstream's call is cancelled too.
        using (var leave = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var call = gateway.PostMcpAsync("""{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"recording_slow","arguments":{"milliseconds":20000}}}""", cancellationToken: leave.Token);
            await WaitAsync(() => upstream.Bodies.Count(b => b.Contains("\"id\":10", StringComparison.Ordinal)) == 1, "the call did not reach the upstream");
            await leave.CancelAsync();
            _ = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await WaitAsync(() => upstream.Cancelled == 2, "the abandoned call was not cancelled at the upstream");
        Assert.Equal("still here", (string?)(await AnswerAsync(gateway, Echo("after", "still here")))["result"]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Forward_UpstreamKeepsSessions_CallsGoOverTheSharedConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync(stateful: true);
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true);

        var answer = await AnswerAsync(gateway, Echo("shared-probe", "shared"));
        Assert.Equal("shared", (string?)answer["result"]!["content"]![0]!["text"]);
        Assert.Equal("shared-probe", (string?)answer["id"]);
        Assert.DoesNotContain(upstream.Bodies, b => b.Contains("shared-probe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forward_UpstreamRefusesACallWithoutSession_ThatCallAndLaterOnesGoOverTheSharedConnection()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true);
        upstream.Refuse = body => body.Contains("\"refused-", StringComparison.Ordinal);

        var first = await AnswerAsync(gateway, Echo("refused-1", "first"));
        Assert.Equal("first", (string?)first["result"]!["content"]![0]!["text"]);
        Assert.Equal("refused-1", (string?)first["id"]);
        var second = await AnswerAsync(gateway, Echo("refused-2", "second"));
        Assert.Equal("second", (string?)second["result"]!["content"]![0]!["text"]);

        // The first was tried directly once (refused), then sent over the shared connection; the second never directly.
        Assert.Single(upstream.Bodies, b => b.Contains("\"refused-", StringComparison.Ordinal));
        await WaitAsync(() => gateway.Process.LogLines.Any(l => l.Contains("\"EventId\":710", StringComparison.Ordinal)), "no log line says the upstream left the fast path");
    }

    [Fact]
    public async Task Forward_UpstreamStopsRefusing_ItsCallsTakeTheFastPathAgainAfterTheCatalogRefresh()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
            ["catalogRefresh"] = "1s",
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        upstream.Refuse = body => body.Contains("\"refused\"", StringComparison.Ordinal);
        Assert.Equal("first", (string?)(await AnswerAsync(gateway, Echo("refused", "first")))["result"]!["content"]![0]!["text"]);
        await WaitAsync(() => gateway.Process.LogLines.Any(l => l.Contains("\"EventId\":710", StringComparison.Ordinal)), "no log line says the upstream left the fast path");

        // A new deployment of a stateless server keeps the shared connection (nothing to reconnect): the periodic refresh
        // tries the fast path again.
        upstream.Refuse = null;
        var attempt = 0;
        await WaitAsync(
            () =>
            {
                var id = $"direct-again-{++attempt}";
                Assert.Equal("again", (string?)AnswerAsync(gateway, Echo(id, "again")).GetAwaiter().GetResult()["result"]!["content"]![0]!["text"]);
                return upstream.Bodies.Any(b => b.Contains($"\"{id}\"", StringComparison.Ordinal));
            },
            "calls did not take the fast path again");
    }

    [Fact]
    public async Task Forward_UpstreamSetsACookie_NoLaterRequestCarriesIt()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.SetsCookie = true;
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true);

        // An ingress's sticky cookie set in one caller's answer must not ride along on the next caller's request.
        Assert.Equal("one", (string?)(await AnswerAsync(gateway, Echo("cookie-1", "one")))["result"]!["content"]![0]!["text"]);
        Assert.Equal("two", (string?)(await AnswerAsync(gateway, Echo("cookie-2", "two")))["result"]!["content"]![0]!["text"]);
        Assert.Contains(upstream.Bodies, b => b.Contains("\"cookie-2\"", StringComparison.Ordinal));
        Assert.True(upstream.Requests.Count >= 3);
        Assert.DoesNotContain(upstream.Requests, r => r.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task Forward_UpstreamRedirectsACall_CallFailsNamingItAndTheRedirectIsNotFollowed()
    {
        await using var elsewhere = await RecordingUpstream.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await StartRecordingAsync(upstream, fastPath: true);
        upstream.RedirectTo = body => body.Contains("\"redirected\"", StringComparison.Ordinal) ? elsewhere.McpUrl : null;

        // A redirect would replay the caller's arguments to wherever it points: the upstream is the config's URL.
        var answer = await AnswerAsync(gateway, Echo("redirected", "secret arguments"));
        Assert.Equal("redirected", (string?)answer["id"]);
        Assert.Contains("'recording'", (string?)answer["error"]!["message"], StringComparison.Ordinal);
        Assert.Contains("HTTP 307", (string?)answer["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("recording", (string?)answer["error"]!["data"]!["upstream"]);
        Assert.Empty(elsewhere.Bodies);
    }

    [Fact]
    public async Task Connect_UpstreamRedirectsEverything_DownWithAReasonNamingTheRedirect()
    {
        await using var elsewhere = await RecordingUpstream.StartAsync();
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.RedirectTo = _ => elsewhere.McpUrl;
        await using var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString() }),
        });

        // Down from the start (waiting for initialize), then down for the redirect: its reason names it.
        var reason = string.Empty;
        var clock = Stopwatch.StartNew();
        while (!reason.Contains("307", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the reason never named the redirect: '{reason}'");
            await Task.Delay(50, TestContext.Current.CancellationToken);
            reason = (string?)(await gateway.StatusAsync())["upstreams"]![0]!["reason"] ?? string.Empty;
        }

        Assert.Empty(elsewhere.Bodies);
    }

    private static string Echo(string id, string message) =>
        new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "recording_echo", ["arguments"] = new JsonObject { ["message"] = message } },
        }.ToJsonString();

    /// <summary>POSTs a call and returns the answer: the last message of the SSE stream (or the JSON body).</summary>
    private static async Task<JsonNode> AnswerAsync(GatewayProcess gateway, string body, string? key = null, Action<HttpRequestMessage>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await gateway.PostMcpAsync(body, r =>
        {
            if (key is not null)
            {
                r.Headers.Authorization = new("Bearer", key);
            }

            configure?.Invoke(r);
        }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return JsonNode.Parse(text)!;
        }

        var data = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();
        Assert.NotEmpty(data);
        return JsonNode.Parse(data[^1])!;
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), failure);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<GatewayProcess> StartLimitedAsync(ServiceProcess upstream, bool fastPath)
    {
        var gateway = await GatewayProcess.StartAsync(
            new JsonObject
            {
                ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "conformance", ["url"] = upstream.McpUrl.ToString() }),
                ["auth"] = new JsonObject { ["callers"] = new JsonArray(new JsonObject { ["name"] = "limited", ["apiKeyEnv"] = "LIMITED_KEY", ["tools"] = new JsonArray("conformance_echo") }) },
                ["fastPath"] = fastPath,
            },
            new Dictionary<string, string> { ["LIMITED_KEY"] = LimitedKey });
        await gateway.WaitForUpstreamAsync("conformance", "up", bearer: LimitedKey);
        return gateway;
    }

    private static async Task<GatewayProcess> StartRecordingAsync(RecordingUpstream upstream, bool fastPath, string timeout = "30s")
    {
        var gateway = await GatewayProcess.StartAsync(new JsonObject
        {
            ["upstreams"] = new JsonArray(new JsonObject { ["name"] = "recording", ["url"] = upstream.McpUrl.ToString(), ["timeout"] = timeout }),
            ["fastPath"] = fastPath,
        });
        await gateway.WaitForUpstreamAsync("recording", "up");
        return gateway;
    }
}
