using System.Collections.Concurrent;
using System.ComponentModel;
using McpFleet.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace McpFleet.Hosting.Tests;

/// <summary>
/// An McpFleet server inside the test process, on Kestrel and free loopback ports: cheaper than a process, and its logs
/// are captured as records instead of JSON lines.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private InProcessServer(WebApplication app, int port, int metricsPort, LogCapture logs)
    {
        App = app;
        Port = port;
        MetricsPort = metricsPort;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Gets the running application.</summary>
    public WebApplication App { get; }

    /// <summary>Gets the MCP and probe port.</summary>
    public int Port { get; }

    /// <summary>Gets the metrics port.</summary>
    public int MetricsPort { get; }

    /// <summary>Gets every log record so far.</summary>
    public LogCapture Logs { get; }

    /// <summary>Gets a client whose base address is the MCP port.</summary>
    public HttpClient Http { get; }

    /// <summary>Builds, maps and starts a server named <c>test</c> with the <see cref="TestTools"/>.</summary>
    /// <param name="configure">Changes to the options after the test defaults.</param>
    /// <param name="configuration">Configuration entries, as env vars would give them (<c>MCP_API_KEYS</c>, <c>McpFleet:…</c>).</param>
    /// <param name="build">Further changes to the builder before Build().</param>
    /// <returns>The started server.</returns>
    public static async Task<InProcessServer> StartAsync(
        Action<McpFleetServerOptions>? configure = null,
        IReadOnlyDictionary<string, string?>? configuration = null,
        Action<WebApplicationBuilder>? build = null)
    {
        var port = LoopbackPorts.Next();
        var metricsPort = LoopbackPorts.Next();
        var builder = CreateBuilder(configuration);
        builder.AddMcpFleetServer(o =>
        {
            o.ServerName = "test";
            o.ServerVersion = "1.0.0";
            o.Port = port;
            o.MetricsPort = metricsPort;
            o.BindAddress = "127.0.0.1";
            o.DrainDelay = TimeSpan.Zero;
            o.ExitOnInvalidConfiguration = false; // a bad config must fail the test, not end the test process
            configure?.Invoke(o);
        }).WithTools<TestTools>();
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs);
        build?.Invoke(builder);

        var app = builder.Build();
        app.MapMcpFleet();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InProcessServer(app, port, metricsPort, logs);
    }

    /// <summary>A builder in the Production environment, with <paramref name="configuration"/> over the process's own.</summary>
    /// <param name="configuration">Configuration entries.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        return builder;
    }

    /// <summary>Posts a JSON-RPC body to <c>/mcp</c> with the headers the Streamable HTTP transport requires.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="configure">Changes to the request (headers).</param>
    /// <returns>The response.</returns>
    public Task<HttpResponseMessage> PostMcpAsync(string body, Action<HttpRequestMessage>? configure = null) => McpHttp.PostAsync(Http, body, configure);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}

/// <summary>The tools of the in-process server.</summary>
[McpServerToolType]
public sealed class TestTools
{
    /// <summary>Echoes the message.</summary>
    /// <param name="message">The text.</param>
    /// <returns>The same text.</returns>
    [McpServerTool(Name = "echo"), Description("Echoes the message.")]
    public static string Echo(string message) => message;
}

/// <summary>One captured log record.</summary>
/// <param name="Category">The logger category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception, if any.</param>
public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger provider that keeps every record in memory.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    /// <summary>Gets the records so far.</summary>
    public IReadOnlyList<LogRecord> Records => [.. _records];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
