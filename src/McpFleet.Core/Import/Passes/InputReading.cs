using McpFleet.Diagnostics;

namespace McpFleet.Import.Passes;

/// <summary>
/// The first pass: reads the env file (<c>--env-file</c>, else <c>.env</c> beside the first file) and the Compose files,
/// and keeps what later passes show or look up: the inputs as displayed, their full paths and their lines.
/// </summary>
/// <param name="options">The import options.</param>
/// <param name="errors">Receives MCI001–MCI003, MCI007 and MCI012.</param>
internal sealed class InputReading(ComposeImportOptions options, DiagnosticBag errors)
{
    /// <summary>Gets the Compose files, in merge order, as displayed.</summary>
    public List<string> Inputs { get; } = [];

    /// <summary>Gets the env file as displayed, or <see langword="null"/> when there is none.</summary>
    public string? EnvFile { get; private set; }

    /// <summary>Gets the full path of each displayed file.</summary>
    public Dictionary<string, string> FullPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the lines of each Compose file, by displayed path (comments name the MCP port).</summary>
    public Dictionary<string, string[]> SourceLines { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the variables of the env file; never the shell's.</summary>
    /// <returns>The variables (a bare <c>KEY</c> is empty).</returns>
    public Dictionary<string, string> ReadVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string? path = null;
        if (options.EnvFile is not null)
        {
            path = Path.GetFullPath(options.EnvFile, options.BaseDirectory);
            if (!File.Exists(path))
            {
                errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(Display(path)), Directory.Exists(path) ? "the env file (--env-file) is a directory, not a file" : "env file not found");
                return variables;
            }
        }
        else if (options.Files.Count > 0)
        {
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Files[0], options.BaseDirectory))!, ".env");
            if (Directory.Exists(beside))
            {
                errors.Error(ImportCodes.Unreadable, SourceLocation.OfFile(Display(beside)), "the default env file .env is a directory, not a file; remove it or name one with --env-file");
                return variables;
            }

            path = File.Exists(beside) ? beside : null;
        }

        if (path is null)
        {
            return variables;
        }

        EnvFile = Display(path);
        // Unreadable (chmod 000), a FIFO, /dev/zero, a file that fails on read (/proc/self/mem), bytes that are not UTF-8:
        // a diagnostic, not a stack trace or a hang.
        if (ImportInputs.Read(path, EnvFile, errors) is not { } text)
        {
            return variables;
        }

        foreach (var entry in EnvFileParser.Parse(text, EnvFile, errors))
        {
            variables[entry.Name] = entry.Value ?? "";
        }

        return variables;
    }

    /// <summary>Reads and interpolates each Compose file; checks <c>version</c> and the shape of <c>services</c>.</summary>
    /// <param name="interpolator">Resolves <c>${VAR}</c>.</param>
    /// <returns>The files that read, in merge order (an empty file is an empty mapping).</returns>
    public List<ComposeMap> ReadFiles(Interpolator interpolator)
    {
        var maps = new List<ComposeMap>();
        foreach (var file in options.Files)
        {
            var full = Path.GetFullPath(file, options.BaseDirectory);
            var display = Display(full);
            FullPaths[display] = full;
            Inputs.Add(display);
            if (ImportInputs.Read(full, display, errors) is not { } text)
            {
                continue;
            }

            SourceLines[display] = text.ReplaceLineEndings("\n").Split('\n');
            var root = ComposeYamlReader.Read(text, display, interpolator, errors);
            if (root is null)
            {
                maps.Add(new ComposeMap(new SourceLocation(display, 1, 1), []));
                continue;
            }

            if (root is not ComposeMap map)
            {
                errors.Error(ImportCodes.WrongType, root.Location, "a Compose file is a mapping with `services`");
                continue;
            }

            if (map.Get("version") is { } version)
            {
                var written = (version as ComposeScalar)?.Value;
                if (written is null || !ComposeImporter.KnownVersion().IsMatch(written))
                {
                    // A value interpolated from the env file is not echoed: the env file holds deployment values.
                    var shown = version is ComposeScalar { Variables.Count: 0 } ? $"'{written}'" : "(interpolated, not shown)";
                    errors.Error(ImportCodes.UnknownVersion, version.Location, $"unknown Compose file version {shown}: supported are 2.x and 3.x, or no `version` at all (the Compose specification)");
                }
            }

            if (map.Get("services") is { } services and not ComposeMap)
            {
                errors.Error(ImportCodes.WrongType, services.Location, "`services` must be a mapping of service names to services");
            }

            maps.Add(map);
        }

        return maps;
    }

    private string Display(string fullPath) => ImportContext.DisplayPath(options.BaseDirectory, fullPath);
}
