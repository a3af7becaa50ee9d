using System.Text.Json.Serialization;
using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>What changed in a watched collection, as <see cref="IFleetCluster.WatchDeploymentsAsync"/> reports it.</summary>
public enum WatchEventType
{
    /// <summary>The object was added (or existed when the watch started).</summary>
    Added,

    /// <summary>The object changed.</summary>
    Modified,

    /// <summary>The object was deleted.</summary>
    Deleted,
}

/// <summary>One line of a Deployment watch: <c>{"type": "ADDED", "object": {...}}</c>.</summary>
/// <param name="Type">ADDED, MODIFIED, DELETED, ERROR or BOOKMARK.</param>
/// <param name="Object">The Deployment (a Status for ERROR, which this type does not read).</param>
internal sealed record DeploymentWatchEvent(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("object")] V1Deployment? Object);

/// <summary>Source-generated metadata for the watch lines, so the watch works under Native AOT.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeploymentWatchEvent))]
internal sealed partial class WatchJsonContext : JsonSerializerContext;
