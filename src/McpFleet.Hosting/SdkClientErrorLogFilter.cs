using Microsoft.Extensions.Logging;
using ModelContextProtocol;

namespace McpFleet.Hosting;

/// <summary>
/// Drops the SDK server's entries for a client's mistake (an unknown tool, method, prompt or resource, bad parameters):
/// for one such request SDK 2.4 writes three or four entries, at Error with stack traces, each with the client's name in
/// full (8 MB of logs for a 1 MB tool name). The library's filters log each refused request once instead, at Warning,
/// with the name bounded (<see cref="McpFleetLogText"/>). What a server's own code throws stays at Error.
/// </summary>
internal sealed class SdkClientErrorLogFilter(ILogger inner) : ILogger
{
    // The SDK's generated event ids (ModelContextProtocol.Core 2.4; McpFleetMessageFilterTests pin them by behaviour).
    private const int ToolCallError = 1433779783;        // "\"{ToolName}\" threw an unhandled exception." (Error)
    private const int GetPromptError = 955764025;        // "GetPrompt \"{PromptName}\" threw an unhandled exception." (Error)
    private const int ReadResourceError = 1073205151;    // "ReadResource \"{ResourceUri}\" threw an unhandled exception." (Error)
    private const int RequestHandlerException = 975074943; // "{EndpointName} method '{Method}' request handler failed in {ElapsedMilliseconds}ms." (Warning)
    private const int NoHandlerFound = 2049951654;       // "{EndpointName} received request for method '{Method}', but no handler is available." (Warning)
    private const int RequestHandlerCalled = 570385771;  // "{EndpointName} method '{Method}' request handler called." (Information)
    private const int RequestHandlerCompleted = 1867955179; // "{EndpointName} method '{Method}' request handler completed in {ElapsedMilliseconds}ms." (Information)

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var clientError = eventId.Id switch
        {
            NoHandlerFound => true,
            ToolCallError or GetPromptError or ReadResourceError or RequestHandlerException => exception is McpProtocolException,

            // Known methods have short names; a longer one is a client's invention, refused and logged by the library.
            RequestHandlerCalled or RequestHandlerCompleted => MethodOf(state) is { Length: > McpFleetLogText.MaxNameLength },
            _ => false,
        };
        if (!clientError)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private static string? MethodOf<TState>(TState state)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            for (var i = values.Count - 1; i >= 0; i--)
            {
                if (values[i] is { Key: "Method", Value: string method })
                {
                    return method;
                }
            }
        }

        return null;
    }
}
