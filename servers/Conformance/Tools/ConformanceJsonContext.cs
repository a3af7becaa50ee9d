using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpFleet.Servers.Conformance.Tools;

/// <summary>
/// Source-generated JSON for the few values the tools serialize themselves, so the server publishes as Native AOT
/// (the container image) with no reflection-based serialization.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IDictionary<string, JsonElement>))]
[JsonSerializable(typeof(TemplateData))]
internal sealed partial class ConformanceJsonContext : JsonSerializerContext;

/// <summary>The body of the <c>test://template/{id}/data</c> resource.</summary>
/// <param name="Id">The id from the URI.</param>
/// <param name="TemplateTest">Always <see langword="true"/>.</param>
/// <param name="Data">A sentence naming the id.</param>
internal sealed record TemplateData(string Id, bool TemplateTest, string Data);
