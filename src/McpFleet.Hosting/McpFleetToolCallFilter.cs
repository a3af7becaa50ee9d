using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Hosting;

/// <summary>Logs every <c>tools/call</c> with its tool and duration, and counts tool errors by tool.</summary>
internal sealed partial class McpFleetToolCallFilter(ILogger<McpFleetToolCallFilter> logger, McpFleetMetrics metrics, TimeProvider timeProvider)
{
    /// <summary>The filter delegate; stateless servers build their pipeline per request, so it holds no lookups.</summary>
    public McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (context, cancellationToken) => InvokeAsync(next, context, cancellationToken);

    private async ValueTask<CallToolResult> InvokeAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        RequestContext<CallToolRequestParams> context,
        CancellationToken cancellationToken)
    {
        var tool = context.Params?.Name ?? string.Empty;
        var start = timeProvider.GetTimestamp();
        try
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            var isError = result.IsError == true;
            var elapsed = timeProvider.GetElapsedTime(start);
            metrics.ToolCalled(tool, elapsed, isError);
            if (isError)
            {
                metrics.ToolError(tool);
            }

            LogToolCall(logger, tool, elapsed.TotalMilliseconds, isError);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var elapsed = timeProvider.GetElapsedTime(start);
            metrics.ToolCalled(tool, elapsed, isError: true);
            metrics.ToolError(tool);
            LogToolFailed(logger, tool, elapsed.TotalMilliseconds, ex);
            throw;
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Tool {Tool} finished in {DurationMs} ms (isError: {IsError})")]
    private static partial void LogToolCall(ILogger logger, string tool, double durationMs, bool isError);

    [LoggerMessage(31, LogLevel.Warning, "Tool {Tool} failed after {DurationMs} ms")]
    private static partial void LogToolFailed(ILogger logger, string tool, double durationMs, Exception exception);
}
