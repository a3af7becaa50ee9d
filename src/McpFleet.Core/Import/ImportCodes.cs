namespace McpFleet.Import;

/// <summary>
/// The stable codes of compose import errors (<c>MCI0xx</c>): each stops the import with exit code 2 and writes nothing.
/// </summary>
public static class ImportCodes
{
    /// <summary>A file that is not valid YAML, holds two documents, or has a duplicate key.</summary>
    public const string Syntax = "MCI001";

    /// <summary>A file that cannot be read.</summary>
    public const string Unreadable = "MCI002";

    /// <summary>A <c>version:</c> other than 2.x or 3.x.</summary>
    public const string UnknownVersion = "MCI003";

    /// <summary>A service with neither <c>image</c> nor <c>build</c>.</summary>
    public const string NoImage = "MCI004";

    /// <summary>A malformed <c>${...}</c> expression.</summary>
    public const string Interpolation = "MCI005";

    /// <summary>A <c>${VAR:?message}</c> whose variable has no value.</summary>
    public const string RequiredVariable = "MCI006";

    /// <summary>A value of the wrong shape, e.g. <c>services</c> that is a list.</summary>
    public const string WrongType = "MCI007";

    /// <summary>No services to import, or an <c>--include</c> or <c>--exclude</c> that names no service.</summary>
    public const string NoServices = "MCI008";

    /// <summary>A <c>depends_on</c> cycle, or a dependency on a service that does not exist.</summary>
    public const string Dependency = "MCI009";

    /// <summary>More MCP servers than ports in the fleet range.</summary>
    public const string PortRangeFull = "MCI010";

    /// <summary>
    /// The output cannot be written: the directory exists, is not empty and is not a previous import, or it (or the
    /// report) is a file, the root directory, or not writable.
    /// </summary>
    public const string OutputNotEmpty = "MCI011";

    /// <summary>A line of an env file that is not <c>KEY=VALUE</c>.</summary>
    public const string EnvFile = "MCI012";

    /// <summary>An option value that cannot be used: a namespace that is not a DNS label, a bad port range or profile.</summary>
    public const string InvalidOption = "MCI013";
}
