namespace McpFleet.Kubernetes.Tests;

/// <summary><see cref="McpProbe"/>'s parsing of Streamable HTTP answers.</summary>
public sealed class McpProbeTests
{
    [Fact]
    public void SseData_MultiLineAndSeveralEvents_JoinsDataLines()
    {
        var events = McpProbe.SseData("event: message\ndata: {\"a\":\ndata: 1}\n\n: comment\ndata: {\"b\":2}\r\n\r\n");

        Assert.Equal(["{\"a\":\n1}", "{\"b\":2}"], events);
    }
}
