using Microsoft.Extensions.Logging;

namespace McpFleet.Hosting.Tests;

/// <summary>Tool-call logging: an unknown tool is one bounded Warning (D21), a known one an Information line with its duration.</summary>
public sealed class McpFleetToolCallFilterTests
{
    [Fact]
    public async Task UnknownTool_OneMegabyteName_OneBoundedWarningNoStackTrace()
    {
        await using var server = await InProcessServer.StartAsync();
        var name = new string('N', 1_000_000);

        using var response = await server.PostMcpAsync($$$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{{name}}}}","arguments":{}}}""");

        Assert.Contains("\"code\":-32602", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        LogAssert.OneBoundedWarning(server.Logs, "Tool call NNNN", "(1000000 characters) refused with JSON-RPC error -32602");
    }

    [Fact]
    public async Task KnownTool_LogsToolAndDurationAtInformation()
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""");

        Assert.Contains(server.Logs.Records, r => r.Level == LogLevel.Information && r.Message.StartsWith("Tool echo finished in ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Records, r => r.Level >= LogLevel.Warning);
    }
}

/// <summary>Assertions on captured logs.</summary>
internal static class LogAssert
{
    /// <summary>
    /// Exactly one record at Warning or above, from the library, without an exception, short, containing each of
    /// <paramref name="expected"/>; and all records together stay small (no 1 MB name repeated anywhere).
    /// </summary>
    public static void OneBoundedWarning(LogCapture logs, params string[] expected)
    {
        var records = logs.Records;
        var warning = Assert.Single(records, r => r.Level >= LogLevel.Warning);
        Assert.StartsWith("McpFleet.Hosting.", warning.Category, StringComparison.Ordinal);
        Assert.Null(warning.Exception);
        Assert.True(warning.Message.Length < 500, warning.Message);
        foreach (var text in expected)
        {
            Assert.Contains(text, warning.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(records, r => r.Exception is not null);
        var total = records.Sum(r => r.Message.Length);
        Assert.True(total < 20_000, $"{total} characters logged:\n{string.Join('\n', records.Select(r => $"{r.Level} {r.Category}: {r.Message[..Math.Min(200, r.Message.Length)]}"))}");
    }
}
