using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace McpFleet.Hosting;

/// <summary>JSON lines on stdout, UTC timestamps, with the trace and span ids of the request in the scopes.</summary>
internal sealed class JsonLoggingSetup :
    IConfigureOptions<JsonConsoleFormatterOptions>,
    IConfigureOptions<ConsoleLoggerOptions>,
    IConfigureOptions<LoggerFactoryOptions>
{
    public void Configure(JsonConsoleFormatterOptions json)
    {
        json.IncludeScopes = true;
        json.UseUtcTimestamp = true;
        json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        json.JsonWriterOptions = new() { Indented = false };
    }

    public void Configure(ConsoleLoggerOptions console)
    {
        console.FormatterName = ConsoleFormatterNames.Json;
        console.LogToStandardErrorThreshold = LogLevel.None;
    }

    public void Configure(LoggerFactoryOptions factory) =>
        factory.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId;
}
