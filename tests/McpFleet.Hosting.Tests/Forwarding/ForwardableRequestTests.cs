using System.Text;
using System.Text.Json.Nodes;
using McpFleet.Hosting.Forwarding;
using Microsoft.AspNetCore.Http;

namespace McpFleet.Hosting.Tests.Forwarding;

/// <summary>Which POSTs a forwarder may answer itself, and that every other one reaches the SDK with its body unread.</summary>
public sealed class ForwardableRequestTests
{
    private const string Call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""";

    private static readonly Func<string, bool> s_toolsCall = static m => m == "tools/call";

    [Fact]
    public async Task TryReadAsync_PlainToolsCall_ReturnsTheRequest()
    {
        var context = Post(Call);

        var request = await ForwardableRequest.TryReadAsync(context, s_toolsCall, CancellationToken.None);

        Assert.NotNull(request);
        Assert.Equal("tools/call", request.Method);
        Assert.Equal(7, request.Id.GetValue<int>());
        Assert.Equal("echo", request.Params!["name"]!.GetValue<string>());
        Assert.Null(request.ProtocolVersion);
    }

    [Fact]
    public async Task TryReadAsync_StringIdAndSessionEraVersion_ReturnsTheRequest()
    {
        var context = Post("""{"jsonrpc":"2.0","id":"a-1","method":"tools/call"}""", headers: static r => r.Headers["MCP-Protocol-Version"] = "2025-06-18");

        var request = await ForwardableRequest.TryReadAsync(context, s_toolsCall, CancellationToken.None);

        Assert.NotNull(request);
        Assert.Equal("a-1", request.Id.GetValue<string>());
        Assert.Null(request.Params);
        Assert.Equal("2025-06-18", request.ProtocolVersion);
    }

    public static TheoryData<string, string> LeftToTheSdk => new()
    {
        { "another method", """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""" },
        { "a notification", """{"jsonrpc":"2.0","method":"tools/call"}""" },
        { "a batch", $"[{Call}]" },
        { "a null id", """{"jsonrpc":"2.0","id":null,"method":"tools/call"}""" },
        { "a boolean id", """{"jsonrpc":"2.0","id":true,"method":"tools/call"}""" },
        { "params as an array", """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1]}""" },
        { "another jsonrpc", """{"jsonrpc":"1.0","id":1,"method":"tools/call"}""" },
        { "a result too", """{"jsonrpc":"2.0","id":1,"method":"tools/call","result":{}}""" },
        { "malformed JSON", """{"jsonrpc":"2.0","id":1,"method":"tools/call" """ },
        { "two values", Call + " {}" },
        { "duplicate keys", """{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/call"}""" },
    };

    [Theory]
    [MemberData(nameof(LeftToTheSdk))]
    public async Task TryReadAsync_BodyNotOneForwardedRequest_ReturnsNullAndLeavesTheBody(string why, string body)
    {
        var context = Post(body);

        var request = await ForwardableRequest.TryReadAsync(context, s_toolsCall, CancellationToken.None);

        Assert.True(request is null, why);
        Assert.Equal(body, await ReadBodyAsync(context));
    }

    public static TheoryData<string, Action<HttpRequest>> HeadersLeftToTheSdk => new()
    {
        { "a session", static r => r.Headers["Mcp-Session-Id"] = "s1" },
        { "protocol 2026-07-28", static r => r.Headers["MCP-Protocol-Version"] = "2026-07-28" },
        { "an unknown protocol", static r => r.Headers["MCP-Protocol-Version"] = "1999-01-01" },
        { "no event-stream in Accept", static r => r.Headers.Accept = "application/json" },
        { "a wildcard Accept", static r => r.Headers.Accept = "*/*" },
        { "a text Content-Type", static r => r.ContentType = "text/plain" },
        { "no Content-Type", static r => r.ContentType = null },
        { "a chunked body", static r => r.ContentLength = null },
        { "another path", static r => r.Path = "/mcp/extra" },
        { "a GET", static r => r.Method = HttpMethods.Get },
    };

    [Theory]
    [MemberData(nameof(HeadersLeftToTheSdk))]
    public async Task TryReadAsync_RequestTheSdkMustJudge_ReturnsNullAndLeavesTheBody(string why, Action<HttpRequest> change)
    {
        var context = Post(Call, change);

        var request = await ForwardableRequest.TryReadAsync(context, s_toolsCall, CancellationToken.None);

        Assert.True(request is null, why);
        Assert.Equal(Call, await ReadBodyAsync(context));
    }

    [Fact]
    public async Task TryReadAsync_JsonContentTypeWithCharset_ReturnsTheRequest()
    {
        var context = Post(Call, static r => r.ContentType = "application/json; charset=utf-8");

        Assert.NotNull(await ForwardableRequest.TryReadAsync(context, s_toolsCall, CancellationToken.None));
    }

    [Fact]
    public async Task Result_And_Error_CarryTheClientsId()
    {
        var request = (await ForwardableRequest.TryReadAsync(Post(Call), s_toolsCall, CancellationToken.None))!;

        var result = request.Result(new JsonObject { ["content"] = new JsonArray() });
        var error = request.Error(-32603, "down", new JsonObject { ["upstream"] = "notes" });

        Assert.Equal("""{"result":{"content":[]},"id":7,"jsonrpc":"2.0"}""", result.ToJsonString());
        Assert.Equal("""{"error":{"code":-32603,"message":"down","data":{"upstream":"notes"}},"id":7,"jsonrpc":"2.0"}""", error.ToJsonString());
    }

    private static DefaultHttpContext Post(string body, Action<HttpRequest>? headers = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Path = RuntimeContract.McpPath;
        request.ContentType = "application/json";
        request.Headers.Accept = "application/json, text/event-stream";
        request.ContentLength = bytes.Length;
        request.Body = new MemoryStream(bytes);
        headers?.Invoke(request);
        return context;
    }

    /// <summary>Reads the body as the SDK does after the peek: through the same pipe.</summary>
    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        var read = await reader.ReadAsync();
        while (!read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync();
        }

        var text = Encoding.UTF8.GetString(read.Buffer);
        reader.AdvanceTo(read.Buffer.End);
        return text;
    }
}
