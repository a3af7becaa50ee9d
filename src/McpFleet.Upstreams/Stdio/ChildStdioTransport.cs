using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpFleet.Upstreams.Stdio;

/// <summary>
/// MCP's stdio transport on a child's stdin and stdout: one JSON-RPC message per line. Unlike the SDK's
/// <c>StreamClientTransport</c> it reads bytes (no UTF-16 string per line), writes through one loop that flushes once
/// per burst instead of once per message, bounds the line length, and reports lines that are not JSON-RPC, so
/// <c>/ready</c> and the logs can say why a child that prints banners to stdout never initializes.
/// </summary>
internal sealed class ChildStdioTransport : TransportBase
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_message = McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>();

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly int _maxLineBytes;
    private readonly Action<string>? _invalidLine;
    private readonly Channel<JsonRpcMessage> _outgoing = Channel.CreateUnbounded<JsonRpcMessage>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _reading;
    private readonly Task _writing;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ChildStdioTransport"/> class and starts reading and writing.</summary>
    /// <param name="input">The child's stdin.</param>
    /// <param name="output">The child's stdout.</param>
    /// <param name="name">A name for logs.</param>
    /// <param name="maxLineBytes">Longer lines are dropped as invalid.</param>
    /// <param name="invalidLine">Called with a short preview of every line that is not a JSON-RPC message.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    public ChildStdioTransport(Stream input, Stream output, string name, int maxLineBytes, Action<string>? invalidLine, ILoggerFactory? loggerFactory)
        : base(name, loggerFactory)
    {
        _input = input;
        _output = output;
        _maxLineBytes = maxLineBytes;
        _invalidLine = invalidLine;
        SetConnected();
        _reading = Task.Run(ReadLoopAsync);
        _writing = Task.Run(WriteLoopAsync);
    }

    public override Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        // Queued, not written: the write loop batches a burst into one flush. A dead child fails the caller at once.
        return IsConnected && _outgoing.Writer.TryWrite(message)
            ? Task.CompletedTask
            : Task.FromException(new IOException("The MCP server's stdin is closed."));
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_reading, _writing).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A read blocked on a pipe the child still holds: the process is killed separately.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The loops report their own failures through SetDisconnected; disposing must not throw.
        }

        SetDisconnected();
        _stopping.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        var reader = PipeReader.Create(_output, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var skipping = false; // inside a line that outgrew the limit
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stopping.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    if (skipping)
                    {
                        skipping = false;
                        continue;
                    }

                    Dispatch(line);
                }

                if (!skipping && buffer.Length > _maxLineBytes)
                {
                    _invalidLine?.Invoke($"a line longer than {_maxLineBytes} bytes (dropped)");
                    skipping = true;
                }

                if (skipping)
                {
                    reader.AdvanceTo(buffer.End);
                }
                else
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (!skipping && !buffer.IsEmpty)
                    {
                        Dispatch(buffer);
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // EOF comes as IsCompleted; anything else (a broken pipe, a disposed stream) ends the transport with its reason.
            error = ex;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            SetDisconnected(error);
            _outgoing.Writer.TryComplete();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            Dispatch(line.FirstSpan);
            return;
        }

        var length = checked((int)line.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            Dispatch(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> line)
    {
        line = line.Trim(" \t\r"u8);
        if (line.IsEmpty)
        {
            return;
        }

        JsonRpcMessage? message = null;
        try
        {
            message = JsonSerializer.Deserialize(line, s_message);
        }
        catch (JsonException)
        {
            // Reported below.
        }

        if (message is null)
        {
            _invalidLine?.Invoke(Preview(line));
            return;
        }

        // The SDK's channel is unbounded, so this completes at once.
        _ = WriteMessageAsync(message, CancellationToken.None);
    }

    private static string Preview(ReadOnlySpan<byte> line)
    {
        const int max = 200;
        var text = System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, max)]);
        return line.Length > max ? text + "…" : text;
    }

    private async Task WriteLoopAsync()
    {
        var writer = PipeWriter.Create(_input, new StreamPipeWriterOptions(leaveOpen: true));
        using var json = new Utf8JsonWriter(writer, new JsonWriterOptions { Encoder = s_message.Options.Encoder, SkipValidation = true });
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (_outgoing.Reader.TryRead(out var message))
                {
                    json.Reset(writer);
                    JsonSerializer.Serialize(json, message, s_message);
                    json.Flush();
                    writer.Write("\n"u8);
                }

                var flushed = await writer.FlushAsync(_stopping.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A child that exited (EPIPE) or a stream disposed under us: no more writes.
            SetDisconnected(ex);
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }
}
