using System.Text.Json.Nodes;

namespace McpFleet.Core.Tests.Helm;

/// <summary>Field-by-field differences between two parsed Kubernetes objects, as readable paths.</summary>
internal static class ObjectDiff
{
    /// <summary>Lists every difference between <paramref name="expected"/> and <paramref name="actual"/>.</summary>
    public static IReadOnlyList<string> Compare(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Walk(expected, actual, "", differences);
        return differences;
    }

    /// <summary>The identity of an object in a release: apiVersion, kind and name.</summary>
    public static string Key(JsonObject o) =>
        $"{(string?)o["apiVersion"]} {(string?)o["kind"]}/{(string?)o["metadata"]?["name"]}";

    private static void Walk(JsonNode? e, JsonNode? a, string path, List<string> differences)
    {
        switch (e, a)
        {
            case (null, null):
                return;
            case (JsonObject eo, JsonObject ao):
                foreach (var key in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var child = $"{path}.{key}";
                    if (!ao.ContainsKey(key))
                    {
                        differences.Add($"{child}: only in the renderer's output ({Show(eo[key])})");
                    }
                    else if (!eo.ContainsKey(key))
                    {
                        differences.Add($"{child}: only in the chart's output ({Show(ao[key])})");
                    }
                    else
                    {
                        Walk(eo[key], ao[key], child, differences);
                    }
                }

                return;
            case (JsonArray ea, JsonArray aa):
                if (ea.Count != aa.Count)
                {
                    differences.Add($"{path}: {ea.Count} items in the renderer's output, {aa.Count} in the chart's ({Show(ea)} vs {Show(aa)})");
                    return;
                }

                for (var i = 0; i < ea.Count; i++)
                {
                    Walk(ea[i], aa[i], $"{path}[{i}]", differences);
                }

                return;
            default:
                if (!JsonNode.DeepEquals(e, a))
                {
                    differences.Add($"{path}: renderer {Show(e)}, chart {Show(a)}");
                }

                return;
        }
    }

    // Type-revealing, so "1" (a string) and 1 (a number) are told apart.
    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
