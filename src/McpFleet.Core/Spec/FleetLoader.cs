using McpFleet.Diagnostics;
using McpFleet.IO;
using McpFleet.Spec.Validation;
using McpFleet.Spec.Yaml;
using McpFleet.Yaml;

namespace McpFleet.Spec;

/// <summary>The outcome of loading a fleet directory: the spec when it is valid, and every diagnostic found.</summary>
/// <param name="Spec">The spec, or <see langword="null"/> when any error was found.</param>
/// <param name="Diagnostics">All diagnostics, sorted by file, line and column.</param>
public sealed record FleetLoadResult(FleetSpec? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the fleet loaded without errors.</summary>
    public bool Success => Spec is not null;
}

/// <summary>Loads and validates <c>fleet.yaml</c> plus <c>values/*.yaml</c>.</summary>
/// <remarks>
/// Never throws for bad input: a missing directory, unreadable file, YAML syntax error or invalid value each becomes a
/// <see cref="Diagnostic"/> with its <c>file:line:col</c>, and loading goes on so that one run reports every problem.
/// Paths in diagnostics are built from <c>fleetDirectory</c> as given, so a relative directory gives relative paths.
/// </remarks>
public static class FleetLoader
{
    /// <summary>The fleet file's name.</summary>
    public const string FleetFileName = "fleet.yaml";

    /// <summary>The directory of the per-server values files.</summary>
    public const string ValuesDirectoryName = "values";

    /// <summary>Loads the fleet in <paramref name="fleetDirectory"/>, reporting every problem in one pass.</summary>
    /// <param name="fleetDirectory">A directory holding <c>fleet.yaml</c> and <c>values/</c>.</param>
    /// <returns>The spec and its diagnostics.</returns>
    public static FleetLoadResult Load(string fleetDirectory)
    {
        ArgumentNullException.ThrowIfNull(fleetDirectory);
        var diagnostics = new DiagnosticBag();
        if (!Directory.Exists(fleetDirectory))
        {
            diagnostics.Error(SpecCodes.MissingFile, SourceLocation.OfFile(fleetDirectory),
                "the fleet directory does not exist; it must hold fleet.yaml and values/<server>.yaml");
            return new FleetLoadResult(null, diagnostics.Sorted());
        }

        var fleetPath = Path.Combine(fleetDirectory, FleetFileName);
        FleetSpec? fleet = null;
        if (ReadTree(fleetPath, diagnostics) is { } fleetRoot)
        {
            fleet = FleetFileParser.Parse(new SpecReader(fleetPath, diagnostics), fleetRoot);
        }

        var servers = new List<ServerSpec>();
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in ValuesFiles(fleetDirectory, diagnostics))
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            if (ReadTree(file, diagnostics) is { } root)
            {
                servers.Add(ServerFileParser.Parse(new SpecReader(file, diagnostics), root, stem, fleet?.Defaults));
            }
            else
            {
                unreadable.Add(stem);
            }
        }

        new FleetValidator(fleet, servers, unreadable, diagnostics).Validate();
        var spec = diagnostics.HasErrors || fleet is null ? null : fleet with { Servers = servers };
        return new FleetLoadResult(spec, diagnostics.Sorted());
    }

    private static List<string> ValuesFiles(string fleetDirectory, DiagnosticBag diagnostics)
    {
        var valuesDirectory = Path.Combine(fleetDirectory, ValuesDirectoryName);
        if (!Directory.Exists(valuesDirectory))
        {
            diagnostics.Error(SpecCodes.MissingFile, SourceLocation.OfFile(valuesDirectory),
                "the values directory does not exist; write one values/<server>.yaml per server");
            return [];
        }

        // Every entry, not only files: a values/x.yaml that is a directory or a link to one is reported as such, not as missing.
        var all = Directory.GetFileSystemEntries(valuesDirectory).Order(StringComparer.Ordinal).ToList();
        foreach (var ignored in all.Where(f => f.EndsWith(".yml", StringComparison.Ordinal)))
        {
            diagnostics.Warning(SpecCodes.IgnoredFile, SourceLocation.OfFile(ignored),
                $"ignored: only *.yaml files are read; rename it to {Path.GetFileNameWithoutExtension(ignored)}.yaml");
        }

        var files = all.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        if (files.Count == 0)
        {
            diagnostics.Error(SpecCodes.MissingFile, SourceLocation.OfFile(valuesDirectory),
                "the values directory holds no *.yaml files; write one values/<server>.yaml per server");
        }

        return files;
    }

    private static YNode? ReadTree(string path, DiagnosticBag diagnostics)
    {
        var input = InputFile.Read(path);
        if (!input.Success)
        {
            var error = input.Error;
            if (error.Kind == InputErrorKind.NotText)
            {
                diagnostics.Error(SpecCodes.Syntax, new SourceLocation(path, error.Line, error.Column), "the file " + error.Message);
            }
            else
            {
                diagnostics.Error(SpecCodes.MissingFile, SourceLocation.OfFile(path),
                    error.Kind == InputErrorKind.Missing ? "the file does not exist" : "the file " + error.Message);
            }

            return null;
        }

        var stream = YamlReader.Read(input.Text);
        foreach (var problem in stream.Problems)
        {
            var at = new SourceLocation(path, problem.Line, problem.Column);
            switch (problem.Kind)
            {
                case YamlProblemKind.DuplicateKey:
                    diagnostics.Error(SpecCodes.DuplicateKey, at, problem.Message + "; YAML keeps only one, so remove the other");
                    break;
                case YamlProblemKind.ComplexKey:
                    diagnostics.Error(SpecCodes.WrongType, at, problem.Message);
                    break;
                case YamlProblemKind.TooDeep:
                    diagnostics.Error(SpecCodes.Syntax, at, problem.Message);
                    break;
                default:
                    diagnostics.Error(SpecCodes.Syntax, at, "YAML syntax error: " + problem.Message);
                    break;
            }
        }

        if (stream.Failed)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Error(SpecCodes.Document, new SourceLocation(path, stream.Documents[1].Line, stream.Documents[1].Column),
                "the file holds more than one YAML document; put one document in each file");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].Root is YScalar { IsNull: true })
        {
            diagnostics.Error(SpecCodes.Document, SourceLocation.OfFile(path), "the file is empty");
            return null;
        }

        return stream.Documents[0].Root;
    }
}
