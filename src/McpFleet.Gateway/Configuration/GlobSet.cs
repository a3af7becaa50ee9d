namespace McpFleet.Gateway.Configuration;

/// <summary>
/// Name globs: <c>*</c> matches any run of characters (also none), <c>?</c> one character; everything else is literal
/// and case-sensitive. A name matches the set when it matches any glob. Used for exposed tools and caller allow-lists.
/// </summary>
internal sealed class GlobSet
{
    private readonly string[] _globs;

    /// <summary>Initializes a new instance of the <see cref="GlobSet"/> class.</summary>
    /// <param name="globs">The globs.</param>
    public GlobSet(IEnumerable<string> globs)
    {
        _globs = [.. globs];
        MatchesAll = _globs.Contains("*");
    }

    /// <summary>Gets the set that matches every name.</summary>
    public static GlobSet All { get; } = new(["*"]);

    /// <summary>Gets a value indicating whether every name matches.</summary>
    public bool MatchesAll { get; }

    /// <summary>Tells whether <paramref name="name"/> matches one of the globs.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(string name)
    {
        if (MatchesAll)
        {
            return true;
        }

        foreach (var glob in _globs)
        {
            if (Match(glob, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Iterative wildcard match with one backtrack point: linear in practice, never exponential.</summary>
    private static bool Match(ReadOnlySpan<char> glob, ReadOnlySpan<char> name)
    {
        int g = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || glob[g] == name[n]))
            {
                g++;
                n++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                star = g++;
                mark = n;
            }
            else if (star >= 0)
            {
                g = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}
