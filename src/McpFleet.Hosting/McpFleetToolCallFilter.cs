using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Hosting;

/// <summary>Records and logs every <c>tools/call</c> with its tool, duration and error type.</summary>
internal sealed partial class McpFleetToolCallFilter(ILogger<McpFleetToolCallFilter> logger, McpFleetMetrics metrics, TimeProvider timeProvider)
{
    private const string ToolNameTag = "gen_ai.tool.name";

    /// <summary>The semantic-convention <c>error.type</c> of a result with <c>isError</c>.</summary>
    private const string ToolError = "tool_error";

    /// <summary>The filter delegate; stateless servers build their pipeline per request, so it holds no lookups.</summary>
    public McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (context, cancellationToken) => InvokeAsync(next, context, cancellationToken);

    private async ValueTask<CallToolResult> InvokeAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        RequestContext<CallToolRequestParams> context,
        CancellationToken cancellationToken)
    {
        var tool = context.Params?.Name ?? string.Empty;
        metrics.OperationStarted();
        var start = timeProvider.GetTimestamp();
        try
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var isError = result.IsError == true;
            var elapsed = timeProvider.GetElapsedTime(start);
            metrics.OperationCompleted(RequestMethods.ToolsCall, ToolNameTag, tool, isError ? ToolError : null, elapsed);
            LogToolCall(logger, McpFleetLogText.Bound(tool), elapsed.TotalMilliseconds, isError);
            return result;
        }
        catch (Exception ex)
        {
            var elapsed = timeProvider.GetElapsedTime(start);

            // The name comes from the client: one it made up must not become a series of its own.
            var known = context.Server.ServerOptions.ToolCollection?.TryGetPrimitive(tool, out _) == true;
            metrics.OperationCompleted(RequestMethods.ToolsCall, ToolNameTag, known ? tool : McpFleetMetrics.Other, McpFleetMetrics.ErrorType(ex), elapsed);
            // One line, without a stack trace: a client's mistake (an unknown tool, bad arguments) is a protocol error
            // with the client's name bounded, and for an exception of the tool's own the SDK logs its stack at Error.
            if (ex is McpProtocolException protocol)
            {
                LogToolRefused(logger, McpFleetLogText.Bound(tool), (int)protocol.ErrorCode, McpFleetLogText.Bound(protocol.Message, McpFleetLogText.MaxMessageLength));
            }
            else if (ex is not OperationCanceledException)
            {
                LogToolFailed(logger, McpFleetLogText.Bound(tool), elapsed.TotalMilliseconds, ex.GetType().FullName);
            }

            throw;
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Tool {Tool} finished in {DurationMs} ms (isError: {IsError})")]
    private static partial void LogToolCall(ILogger logger, string tool, double durationMs, bool isError);

    [LoggerMessage(31, LogLevel.Warning, "Tool {Tool} failed after {DurationMs} ms with {ExceptionType}")]
    private static partial void LogToolFailed(ILogger logger, string tool, double durationMs, string? exceptionType);

    [LoggerMessage(32, LogLevel.Warning, "Tool call {Tool} refused with JSON-RPC error {ErrorCode}: {Reason}")]
    private static partial void LogToolRefused(ILogger logger, string tool, int errorCode, string reason);
}
