using System.Text.Json;
using System.Text.Json.Nodes;
using McpFleet.Hosting;
using McpFleet.Hosting.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy;

/// <summary>
/// The stateless fast path (<see cref="ProxyOptions.FastPath"/>): a <c>POST /mcp</c> that holds one request the proxy
/// forwards is sent to the server and answered here, without the SDK's stateless handler, which builds a server, its
/// options and its handlers for every POST and costs more than the forwarding. The answer is the same JSON on the same
/// SSE stream, through the same <see cref="ProxyForwarder"/> (timeout, metrics, error messages, cancellation). Whatever
/// <see cref="ForwardableRequest.TryReadAsync"/> declines (sessions, 2026-07-28, batches, notifications, the protocol's
/// own methods) and <c>logging/setLevel</c> and <c>resources/(un)subscribe</c>, which need the SDK's session, go on to the SDK.
/// </summary>
internal sealed class ProxyFastPathMiddleware(
    RequestDelegate next,
    ProxyForwarder forwarder,
    McpFleetMetrics hostingMetrics,
    TimeProvider timeProvider,
    ILogger<McpFleetMessageFilter> hostingLogger)
{
    private static readonly Func<string, bool> s_forwards = static method =>
        !ProxyForwarder.IsProtocolOwn(method)
        && method is not (RequestMethods.LoggingSetLevel or RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe);

    public async Task InvokeAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var request = await ForwardableRequest.TryReadAsync(context, s_forwards, aborted).ConfigureAwait(false);
        if (request is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // tools/call is recorded by the forwarder with its tool; the SDK's path records every other method in Hosting's filter.
        var operation = request.Method != RequestMethods.ToolsCall;
        var start = 0L;
        if (operation)
        {
            hostingMetrics.OperationStarted();
            start = timeProvider.GetTimestamp();
        }

        string? errorType = null;
        var response = context.Response;
        SseResponse.Start(response);
        var caller = new SseCaller(response);
        JsonObject answer;
        try
        {
            var forwarded = await forwarder.ForwardAsync(request.Method, request.Params, caller, aborted, CancellationToken.None).ConfigureAwait(false);
            answer = forwarded is JsonRpcError error
                ? request.Error(error.Error.Code, error.Error.Message, ErrorData(error.Error.Data))
                : request.Result((forwarded as JsonRpcResponse)?.Result);
        }
        catch (McpProtocolException ex)
        {
            errorType = McpFleetMetrics.ErrorType(ex);
            if (operation)
            {
                // The line Hosting's filter writes on the SDK's path (tools/call has none there either).
                McpFleetMessageFilter.LogRefused(hostingLogger, request.Method, ex);
            }

            answer = request.Error((int)ex.ErrorCode, ex.Message);
        }
        catch (OperationCanceledException ex) when (aborted.IsCancellationRequested)
        {
            // The client went away; the request was cancelled in the server. Nobody is left to answer.
            errorType = McpFleetMetrics.ErrorType(ex);
            return;
        }
        finally
        {
            if (operation)
            {
                // As McpFleetMessageFilter does; the proxy has no prompt collection, so a failed prompt's name may be invented.
                var prompt = request.Method == RequestMethods.PromptsGet ? McpFleetMessageFilter.PromptName(request.Params) : null;
                if (prompt is not null && errorType is not null)
                {
                    prompt = McpFleetMetrics.Other;
                }

                hostingMetrics.OperationCompleted(request.Method, prompt is null ? null : McpFleetMessageFilter.PromptNameTag, prompt, errorType, timeProvider.GetElapsedTime(start));
            }
        }

        await caller.AnswerAsync(answer).ConfigureAwait(false);
    }

    private static JsonNode? ErrorData(object? data) => data switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonSerializer.SerializeToNode(element, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonElement>()),
        _ => JsonSerializer.SerializeToNode(data, McpJsonUtilities.DefaultOptions.GetTypeInfo(data.GetType())),
    };
}
