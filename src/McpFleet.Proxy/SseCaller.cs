using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using McpFleet.Hosting.Forwarding;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy;

/// <summary>
/// A stateless request on the fast path as the upstream sees it: the server's notifications for it (progress, log
/// messages) go out as SSE frames on the POST's response, before its answer. It has no session, so it takes no
/// server-to-client request (sampling, elicitation, roots), as the SDK's stateless server does not either.
/// </summary>
/// <param name="response">The POST's response, started with <see cref="SseResponse.Start"/>.</param>
internal sealed class SseCaller(HttpResponse response) : IUpstreamCaller
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_message = McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>();

    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;
    private bool _answered;

    public string? SessionId => null;

    public bool CanReceive(string method) => false;

    public Task SendNotificationAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        // Serialized as the SDK's server would send it: a fresh notification, so no field of the upstream's is added.
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(new JsonRpcNotification { Method = notification.Method, Params = notification.Params }, s_message);
        lock (_lock)
        {
            // After the answer the stream is over: a late notification (of a request that timed out) has nowhere to go.
            return _answered ? Task.CompletedTask : _tail = WriteAfterAsync(_tail, response, utf8, cancellationToken);
        }
    }

    public Task<JsonRpcResponse> SendRequestAsync(JsonRpcRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A stateless request cannot take a server-to-client request.");

    /// <summary>
    /// Writes the answer, after any notification still being written; nothing goes out after it. It is not flushed: the
    /// end of the response sends it with the chunked terminator in one send (<see cref="SseResponse.WriteLastMessage(HttpResponse, JsonNode)"/>).
    /// </summary>
    /// <param name="answer">The JSON-RPC response or error.</param>
    /// <returns>A task.</returns>
    public Task AnswerAsync(JsonNode answer)
    {
        Task previous;
        lock (_lock)
        {
            _answered = true;
            previous = _tail;
        }

        if (!previous.IsCompletedSuccessfully)
        {
            return AnswerAfterAsync(previous, response, answer);
        }

        SseResponse.WriteLastMessage(response, answer);
        return Task.CompletedTask;
    }

    private static async Task AnswerAfterAsync(Task previous, HttpResponse response, JsonNode answer)
    {
        await previous.ConfigureAwait(false);
        SseResponse.WriteLastMessage(response, answer);
    }

    private static async Task WriteAfterAsync(Task previous, HttpResponse response, byte[] utf8, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await SseResponse.WriteMessageAsync(response, utf8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away: its request is being cancelled, nothing to deliver to.
        }
    }
}
