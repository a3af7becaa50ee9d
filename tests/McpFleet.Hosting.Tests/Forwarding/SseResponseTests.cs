using System.Text;
using System.Text.Json.Nodes;
using McpFleet.Hosting.Forwarding;
using Microsoft.AspNetCore.Http;

namespace McpFleet.Hosting.Tests.Forwarding;

/// <summary>The frames and headers of a forwarded answer: those of the SDK's stateless server.</summary>
public sealed class SseResponseTests
{
    [Fact]
    public async Task WriteMessageAsync_NodeThenBytes_WritesTwoFramesWithTheSdksHeaders()
    {
        var (context, body) = Response();

        SseResponse.Start(context.Response);
        await SseResponse.WriteMessageAsync(context.Response, new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/progress" }, CancellationToken.None);
        await SseResponse.WriteMessageAsync(context.Response, """{"result":{},"id":1,"jsonrpc":"2.0"}"""u8.ToArray(), CancellationToken.None);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal("no-cache,no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("identity", context.Response.Headers.ContentEncoding.ToString());
        Assert.Equal(
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\nevent: message\ndata: {\"result\":{},\"id\":1,\"jsonrpc\":\"2.0\"}\n\n",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteMessageAsync_NodeWithLineBreakInAString_StaysOneDataLine()
    {
        var (context, body) = Response();

        await SseResponse.WriteMessageAsync(context.Response, new JsonObject { ["text"] = "a\nb" }, CancellationToken.None);

        Assert.Equal("event: message\ndata: {\"text\":\"a\\nb\"}\n\n", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteMessageAsync_BytesWithLineBreak_Throws()
    {
        var (context, _) = Response();

        await Assert.ThrowsAsync<ArgumentException>(async () => await SseResponse.WriteMessageAsync(context.Response, "{\n}"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task WriteLastMessage_NodeAndBytes_SameFramesLeftForTheResponsesEndToFlush()
    {
        var (context, body) = Response();

        SseResponse.WriteLastMessage(context.Response, new JsonObject { ["error"] = new JsonObject { ["code"] = -32602 }, ["id"] = 1 });
        SseResponse.WriteLastMessage(context.Response, """{"result":{},"id":2}"""u8);

        // Nothing is sent until the response ends (here: the flush Kestrel does then), so the frame and the end go out as one.
        Assert.Equal(0, body.Length);
        await context.Response.BodyWriter.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            "event: message\ndata: {\"error\":{\"code\":-32602},\"id\":1}\n\nevent: message\ndata: {\"result\":{},\"id\":2}\n\n",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public void WriteLastMessage_BytesWithLineBreak_Throws()
    {
        var (context, _) = Response();

        Assert.Throws<ArgumentException>(() => SseResponse.WriteLastMessage(context.Response, "{\r}"u8));
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Response()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }
}
