using System.Buffers;
using System.Text;

namespace McpFleet.Proxy.Tests;

/// <summary>Which POST bodies count against the concurrency limit: requests do, notifications and answers do not.</summary>
public sealed class AdmissionTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}""", true)]
    [InlineData("""{"method":"tools/call","jsonrpc":"2.0","params":{"method":"x"},"id":"a"}""", true)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""", true)]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}""", false)]
    [InlineData("""{"jsonrpc":"2.0","id":4,"result":{"content":{"type":"text","text":"\"method\": \"x\""}}}""", false)]
    [InlineData("""{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"m"}}""", false)]
    [InlineData("""not json""", false)]
    public void Classify_CompleteBody_RequestsOnly(string body, bool isRequest) =>
        Assert.Equal(isRequest, AdmissionMiddleware.Classify(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), isFinal: true));

    [Fact]
    public void Classify_PartialBody_AsksForMoreUntilItCanTell()
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","params":{"big":"...."},"id":1,"method":"tools/call"}""");
        Assert.Null(AdmissionMiddleware.Classify(new ReadOnlySequence<byte>(body, 0, 30), isFinal: false));
        Assert.True(AdmissionMiddleware.Classify(new ReadOnlySequence<byte>(body), isFinal: false));
    }
}
