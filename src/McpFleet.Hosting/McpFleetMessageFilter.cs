using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Hosting;

/// <summary>
/// Records <c>mcp.server.operation.duration</c> for every MCP request but <c>tools/call</c>, which
/// <see cref="McpFleetToolCallFilter"/> records with the tool's outcome. Notifications and responses are not operations.
/// A request refused with a protocol error (an unknown method or prompt, bad parameters) is logged here once, bounded; the
/// SDK's own entries for it are dropped by <see cref="SdkClientErrorLogFilter"/>.
/// </summary>
internal sealed partial class McpFleetMessageFilter(McpFleetMetrics metrics, TimeProvider timeProvider, ILogger<McpFleetMessageFilter> logger)
{
    internal const string PromptNameTag = "gen_ai.prompt.name";

    /// <summary>The incoming message filter. The SDK composes it for every message, so it holds no lookups.</summary>
    public McpMessageHandler Wrap(McpMessageHandler next) => (context, cancellationToken) =>
        context.JsonRpcMessage is JsonRpcRequest { Method: not RequestMethods.ToolsCall } request
            ? InvokeAsync(next, context, request, cancellationToken)
            : next(context, cancellationToken);

    private async Task InvokeAsync(McpMessageHandler next, MessageContext context, JsonRpcRequest request, CancellationToken cancellationToken)
    {
        metrics.OperationStarted();
        var start = timeProvider.GetTimestamp();
        string? errorType = null;
        var unknownMethod = false;
        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            errorType = McpFleetMetrics.ErrorType(ex);
            unknownMethod = ex is McpProtocolException { ErrorCode: McpErrorCode.MethodNotFound };
            if (ex is McpProtocolException protocol)
            {
                LogRefused(logger, request.Method, protocol);
            }

            throw;
        }
        finally
        {
            // Method and prompt names come from the client: unknown ones must not become series of their own.
            var method = unknownMethod ? McpFleetMetrics.Other : request.Method;
            var prompt = method == RequestMethods.PromptsGet ? PromptName(request.Params) : null;
            if (prompt is not null && errorType is not null && context.Server.ServerOptions.PromptCollection?.TryGetPrimitive(prompt, out _) != true)
            {
                prompt = McpFleetMetrics.Other;
            }

            metrics.OperationCompleted(method, prompt is null ? null : PromptNameTag, prompt, errorType, timeProvider.GetElapsedTime(start));
        }
    }

    internal static string? PromptName(JsonNode? parameters) =>
        parameters is JsonObject o && o.TryGetPropertyValue("name", out var name) && name?.GetValueKind() == JsonValueKind.String
            ? name.GetValue<string>()
            : null;

    /// <summary>
    /// Logs the refusal of a request with a protocol error, method and message bounded: the one line for it, written here
    /// and by the proxy's fast path, which answers without the SDK (under this class's category, so both read the same).
    /// </summary>
    internal static void LogRefused(ILogger logger, string method, McpProtocolException refusal) =>
        LogRefused(logger, McpFleetLogText.Bound(method), (int)refusal.ErrorCode, McpFleetLogText.Bound(refusal.Message, McpFleetLogText.MaxMessageLength));

    [LoggerMessage(40, LogLevel.Warning, "MCP request {Method} refused with JSON-RPC error {ErrorCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, int errorCode, string reason);
}
