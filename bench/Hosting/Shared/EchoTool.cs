using System.ComponentModel;
using ModelContextProtocol.Server;

namespace McpFleet.Bench;

/// <summary>The benchmark's only tool, identical in the bare (a) and hosted (b) servers.</summary>
[McpServerToolType]
public sealed class EchoTool
{
    [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
    public static string Echo([Description("The text to echo.")] string message) => message;
}
