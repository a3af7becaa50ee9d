using System.Text;

namespace McpFleet.Hosting.Tests;

/// <summary>Raw Streamable HTTP requests, for tests that need to see the status codes and bodies the SDK client hides.</summary>
internal static class McpHttp
{
    /// <summary>Posts a JSON-RPC body to <c>/mcp</c> with the headers the Streamable HTTP transport requires.</summary>
    /// <param name="http">A client whose base address is the MCP port.</param>
    /// <param name="body">The JSON body.</param>
    /// <param name="configure">Changes to the request (headers).</param>
    /// <returns>The response.</returns>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, RuntimeContract.McpPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure?.Invoke(request);
        return http.SendAsync(request);
    }
}
