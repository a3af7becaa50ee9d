namespace McpFleet.Gateway.Federation;

/// <summary>
/// How an upstream's names appear at the gateway. Tools and prompts are <c>&lt;prefix&gt;_&lt;name&gt;</c>; resource
/// URIs and URI templates are <c>&lt;prefix&gt;+&lt;uri&gt;</c> (a valid URI scheme, and reversible because a prefix holds
/// no <c>+</c>). An empty prefix leaves both unchanged. A name depends on its own upstream only, so it never changes
/// when another upstream comes or goes.
/// </summary>
internal static class Naming
{
    /// <summary>Between the prefix and a tool or prompt name.</summary>
    public const char NameSeparator = '_';

    /// <summary>Between the prefix and a resource URI.</summary>
    public const char UriSeparator = '+';

    /// <summary>Returns the gateway's name for an upstream's tool or prompt.</summary>
    /// <param name="prefix">The upstream's prefix.</param>
    /// <param name="name">The upstream's own name.</param>
    /// <returns>The exposed name.</returns>
    public static string Name(string prefix, string name) => prefix.Length == 0 ? name : string.Concat(prefix, "_", name);

    /// <summary>Returns the gateway's URI for an upstream's resource or URI template.</summary>
    /// <param name="prefix">The upstream's prefix.</param>
    /// <param name="uri">The upstream's own URI.</param>
    /// <returns>The exposed URI.</returns>
    public static string Uri(string prefix, string uri) => prefix.Length == 0 ? uri : string.Concat(prefix, "+", uri);

    /// <summary>Returns the upstream's own name if <paramref name="exposed"/> carries <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix (not empty).</param>
    /// <param name="exposed">The exposed name.</param>
    /// <param name="separator">The separator after the prefix.</param>
    /// <returns>The upstream's name, or null.</returns>
    public static string? Strip(string prefix, string exposed, char separator) =>
        exposed.Length > prefix.Length + 1 && exposed[prefix.Length] == separator && exposed.StartsWith(prefix, StringComparison.Ordinal)
            ? exposed[(prefix.Length + 1)..]
            : null;
}
