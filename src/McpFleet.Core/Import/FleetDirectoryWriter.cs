using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Import;

/// <summary>Writes an imported fleet directory atomically: into a temp directory beside it, then one rename.</summary>
public static class FleetDirectoryWriter
{
    /// <summary>Writes <c>fleet.yaml</c> and <c>values/*.yaml</c> to <paramref name="directory"/>.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="directory">The fleet directory. It may be missing, empty, or a previous import (which is replaced).</param>
    /// <param name="headerComments">Comment lines for the top of <c>fleet.yaml</c>, after the import marker.</param>
    /// <returns><see langword="null"/> on success, else why nothing was written.</returns>
    public static Diagnostic? Write(FleetSpec spec, string directory, IReadOnlyList<string> headerComments)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(headerComments);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(target))
        {
            return new Diagnostic(DiagnosticSeverity.Error, ImportCodes.OutputNotEmpty, "--out names a file, not a directory", SourceLocation.OfFile(directory));
        }

        var replacing = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
        if (replacing && !IsPreviousImport(target))
        {
            return new Diagnostic(DiagnosticSeverity.Error, ImportCodes.OutputNotEmpty, "the output directory is not empty and is not a previous import; choose another --out", SourceLocation.OfFile(directory));
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(target);
        var temp = Path.Combine(parent, $".{name}.import-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, "values"));
            File.WriteAllText(Path.Combine(temp, "fleet.yaml"), FleetSpecYamlWriter.WriteFleet(spec, [FleetSpecYamlWriter.ImportMarker, .. headerComments]));
            foreach (var server in spec.Servers)
            {
                File.WriteAllText(Path.Combine(temp, "values", server.Name + ".yaml"), FleetSpecYamlWriter.WriteServer(server));
            }

            if (Directory.Exists(target))
            {
                // Swap: the old directory moves aside first, so a crash leaves either the old or the new fleet in place.
                var old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }

            return null;
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Writes a text file atomically (temp file in the same directory, then rename).</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The content.</param>
    public static void WriteFileAtomically(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".tmp-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, content);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static bool IsPreviousImport(string directory)
    {
        var fleet = Path.Combine(directory, "fleet.yaml");
        if (!File.Exists(fleet))
        {
            return false;
        }

        using var reader = new StreamReader(fleet);
        return reader.ReadLine() == "# " + FleetSpecYamlWriter.ImportMarker;
    }
}
