using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using McpFleet.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Proxy;

/// <summary>
/// In front of the SDK on <c>POST /mcp</c>: while the server is not ready every POST gets 503 with the reason, and at
/// most <see cref="ProxyOptions.MaxConcurrency"/> requests are in flight to it; past that a request gets 503 with
/// <c>Retry-After</c>, so a load balancer or client backs off instead of piling requests onto a server that is busy.
/// Only POSTs that carry a JSON-RPC request count; notifications and a client's answers to the server's own requests
/// (sampling, elicitation) always pass, or a full proxy could never finish the calls that wait for them.
/// </summary>
internal sealed class AdmissionMiddleware(RequestDelegate next, ProxyUpstream upstream, IOptions<ProxyOptions> options, ProxyMetrics metrics)
{
    /// <summary>How much of a body is read to tell a request from a notification or an answer.</summary>
    private const int MaxPeekBytes = 64 * 1024;

    private readonly int _maxConcurrency = options.Value.MaxConcurrency;
    private readonly string _retryAfter = Math.Max(1, (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    private int _inFlight;

    public Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments(RuntimeContract.McpPath, StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var state = upstream.State;
        if (state.Status is not (UpstreamStatus.Ready or UpstreamStatus.Unresponsive))
        {
            metrics.Rejected("not_ready");
            return RejectAsync(context, $"mcpfleet-proxy: the MCP server is not ready: {state.Reason}");
        }

        return InvokeLimitedAsync(context);
    }

    private async Task InvokeLimitedAsync(HttpContext context)
    {
        if (!await CarriesRequestAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > _maxConcurrency)
        {
            _ = Interlocked.Decrement(ref _inFlight);
            metrics.Rejected("concurrency");
            await RejectAsync(context, $"mcpfleet-proxy: {_maxConcurrency} requests are already in flight to the MCP server; retry after {_retryAfter} s").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            _ = Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Reads the start of the body without consuming it (the SDK reads it after) and tells whether it holds a request.</summary>
    private static async Task<bool> CarriesRequestAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var verdict = Classify(buffer, read.IsCompleted);
            body.AdvanceTo(buffer.Start, verdict is null && !read.IsCompleted && buffer.Length < MaxPeekBytes ? buffer.End : buffer.Start);
            if (verdict is { } known)
            {
                return known;
            }

            if (read.IsCompleted || buffer.Length >= MaxPeekBytes)
            {
                return true; // cannot tell: count it
            }
        }
    }

    /// <summary>A top-level object with <c>method</c> and <c>id</c> is a request; a batch counts as one; anything else is not.</summary>
    /// <returns>The verdict, or null when more of the body is needed.</returns>
    internal static bool? Classify(ReadOnlySequence<byte> buffer, bool isFinal)
    {
        var reader = new Utf8JsonReader(buffer, isFinal, default);
        bool hasMethod = false, hasId = false;
        try
        {
            if (!reader.Read())
            {
                return isFinal ? false : null;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return hasMethod && hasId;
                }

                var isMethod = reader.ValueTextEquals("method"u8);
                var isId = reader.ValueTextEquals("id"u8);
                if (!reader.TrySkip())
                {
                    return isFinal ? false : null;
                }

                hasMethod |= isMethod;
                hasId |= isId;
                if (hasMethod && hasId)
                {
                    return true;
                }
            }

            return isFinal ? hasMethod && hasId : null;
        }
        catch (JsonException)
        {
            return false; // the SDK answers malformed JSON itself
        }
    }

    private Task RejectAsync(HttpContext context, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = _retryAfter;
        response.ContentType = "application/json";
        var error = new JsonRpcError { Id = default, Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InternalError, Message = message } };
        return JsonSerializer.SerializeAsync(response.Body, error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>(), context.RequestAborted);
    }
}
