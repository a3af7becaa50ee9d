using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace McpFleet.Servers.Conformance.Tools;

/// <summary>The tools that the conformance scenarios call, with the exact results they check.</summary>
[McpServerToolType]
public sealed class ConformanceTools
{
    /// <summary>A 1x1 red PNG.</summary>
    internal static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    /// <summary>A 44-byte WAV header with no samples.</summary>
    internal static readonly byte[] Wav = Convert.FromBase64String("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=");

    [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
    public static string Echo([Description("The text to echo.")] string message) => message;

    [McpServerTool(Name = "test_simple_text"), Description("Returns simple text content.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content"), Description("Returns image content.")]
    public static ContentBlock ImageContent() => ImageContentBlock.FromBytes(Png, "image/png");

    [McpServerTool(Name = "test_audio_content"), Description("Returns audio content.")]
    public static ContentBlock AudioContent() => AudioContentBlock.FromBytes(Wav, "audio/wav");

    [McpServerTool(Name = "test_embedded_resource"), Description("Returns an embedded resource.")]
    public static ContentBlock EmbeddedResource() => new EmbeddedResourceBlock
    {
        Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Returns text, image and resource content.")]
    public static IEnumerable<ContentBlock> MultipleContentTypes() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        ImageContentBlock.FromBytes(Png, "image/png"),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" },
        },
    ];

    [McpServerTool(Name = "test_tool_with_logging"), Description("Sends three log notifications while it runs.")]
    public static async Task<string> ToolWithLogging(McpServer server, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var log = server.AsClientLoggerProvider().CreateLogger("conformance");
        log.LogInformation("Tool execution started");
        await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
        log.LogInformation("Tool processing data");
        await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
        log.LogInformation("Tool execution completed");
        return "Tool with logging executed successfully";
    }

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100.")]
    public static async Task<string> ToolWithProgress(IProgress<ProgressNotificationValue> progress, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        foreach (var step in (int[])[0, 50, 100])
        {
            progress.Report(new ProgressNotificationValue { Progress = step, Total = 100 });
            if (step < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
            }
        }

        return "Tool with progress executed successfully";
    }

    [McpServerTool(Name = "test_error_handling"), Description("Always fails with isError.")]
    public static CallToolResult ErrorHandling() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
    };

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's LLM to answer a prompt.")]
    public static async Task<string> Sampling(McpServer server, [Description("The prompt to send to the LLM.")] string prompt, CancellationToken cancellationToken)
    {
        var result = await server.SampleAsync(
            new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            },
            cancellationToken);
        var text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text;
        return $"LLM response: {text}";
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user for a username and email.")]
    public static async Task<string> Elicitation(McpServer server, [Description("The message to show the user.")] string message, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new RequestSchema
                {
                    Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                    {
                        ["username"] = new StringSchema { Description = "User's response" },
                        ["email"] = new StringSchema { Description = "User's email address" },
                    },
                    Required = ["username", "email"],
                },
            },
            cancellationToken);
        return $"User response: action={result.Action}, content={JsonSerializer.Serialize(result.Content, ConformanceJsonContext.Default.IDictionaryStringJsonElement)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults"), Description("Elicits with a default for every primitive type.")]
    public static async Task<string> ElicitationDefaults(McpServer server, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = "Please review the defaults",
                RequestedSchema = new RequestSchema
                {
                    Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                    {
                        ["name"] = new StringSchema { Default = "John Doe" },
                        ["age"] = new NumberSchema { Type = "integer", Default = 30 },
                        ["score"] = new NumberSchema { Default = 95.5 },
                        ["status"] = new UntitledSingleSelectEnumSchema { Enum = ["active", "inactive", "pending"], Default = "active" },
                        ["verified"] = new BooleanSchema { Default = true },
                    },
                },
            },
            cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content, ConformanceJsonContext.Default.IDictionaryStringJsonElement)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1330_enums"), Description("Elicits with all five enum variants.")]
    public static async Task<string> ElicitationEnums(McpServer server, CancellationToken cancellationToken)
    {

        var legacy = new LegacyTitledEnumSchema { Enum = ["opt1", "opt2", "opt3"], EnumNames = ["Option One", "Option Two", "Option Three"] };

        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = "Pick options",
                RequestedSchema = new RequestSchema
                {
                    Properties = new Dictionary<string, PrimitiveSchemaDefinition>
                    {
                        ["untitledSingle"] = new UntitledSingleSelectEnumSchema { Enum = ["option1", "option2", "option3"] },
                        ["titledSingle"] = new TitledSingleSelectEnumSchema
                        {
                            OneOf = [new() { Const = "value1", Title = "First Option" }, new() { Const = "value2", Title = "Second Option" }, new() { Const = "value3", Title = "Third Option" }],
                        },
                        ["legacyEnum"] = legacy,
                        ["untitledMulti"] = new UntitledMultiSelectEnumSchema { Items = new UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] } },
                        ["titledMulti"] = new TitledMultiSelectEnumSchema
                        {
                            Items = new TitledEnumItemsSchema
                            {
                                AnyOf = [new() { Const = "value1", Title = "First Choice" }, new() { Const = "value2", Title = "Second Choice" }, new() { Const = "value3", Title = "Third Choice" }],
                            },
                        },
                    },
                },
            },
            cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content, ConformanceJsonContext.Default.IDictionaryStringJsonElement)}";
    }

    /// <summary>The <c>json_schema_2020_12_tool</c>, whose input schema keeps <c>$schema</c>, <c>$defs</c> and <c>additionalProperties</c>.</summary>
    /// <returns>The tool.</returns>
    public static McpServerTool JsonSchema202012Tool()
    {
        var tool = McpServerTool.Create(
            static () => "ok",
            new McpServerToolCreateOptions { Name = "json_schema_2020_12_tool", Description = "Tool with JSON Schema 2020-12 features" });
        tool.ProtocolTool.InputSchema = JsonElement.Parse("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": { "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } } },
              "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
              "additionalProperties": false
            }
            """);
        return tool;
    }

    /// <summary>Completes prompt and resource-template arguments from a fixed word list.</summary>
    /// <param name="context">The request.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>The matching values.</returns>
    public static ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> context, CancellationToken cancellationToken)
    {
        string[] words = ["paris", "park", "party", "test", "testValue"];
        var prefix = context.Params?.Argument.Value ?? string.Empty;
        var values = words.Where(w => w.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = values, Total = values.Count, HasMore = false } });
    }
}
