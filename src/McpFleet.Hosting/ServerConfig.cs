using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpFleet.Hosting;

/// <summary>The shape of <c>server-config.json</c>, the ConfigMap that the renderer writes.</summary>
internal sealed record ServerConfig
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("port")]
    public int? Port { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("sessionMode")]
    public string? SessionMode { get; init; }

    [JsonPropertyName("allowedHosts")]
    public IReadOnlyList<string>? AllowedHosts { get; init; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ServerConfig))]
internal sealed partial class ServerConfigJsonContext : JsonSerializerContext;
