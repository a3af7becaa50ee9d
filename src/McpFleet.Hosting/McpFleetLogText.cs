namespace McpFleet.Hosting;

/// <summary>Bounds client-chosen text before it reaches a log line: a 1 MB tool name must not become a 1 MB log line.</summary>
internal static class McpFleetLogText
{
    /// <summary>The most characters of a client-chosen name (tool, method, prompt) that a log line carries.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The most characters of an error message that a log line carries.</summary>
    public const int MaxMessageLength = 200;

    /// <summary>Returns <paramref name="text"/> itself when it is short enough, else its start, an ellipsis and its length.</summary>
    /// <param name="text">The client-chosen text.</param>
    /// <param name="maxLength">The most characters kept.</param>
    /// <returns>The bounded text.</returns>
    public static string Bound(string text, int maxLength = MaxNameLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Never cut a surrogate pair in half: the JSON writer would have to replace it.
        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}… ({text.Length} characters)");
    }
}
