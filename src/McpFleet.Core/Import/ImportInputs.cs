using McpFleet.Diagnostics;
using McpFleet.IO;

namespace McpFleet.Import;

/// <summary>Reads the importer's input files (Compose files, env files) through <see cref="InputFile"/>.</summary>
internal static class ImportInputs
{
    /// <summary>Reads a file; when it cannot be read, reports why as MCI002 at the file (or its line and column).</summary>
    /// <param name="fullPath">The file.</param>
    /// <param name="display">The path shown in diagnostics.</param>
    /// <param name="errors">Receives the error.</param>
    /// <returns>The text, or <see langword="null"/> after an error.</returns>
    public static string? Read(string fullPath, string display, DiagnosticBag errors)
    {
        var input = InputFile.Read(fullPath);
        if (input.Success)
        {
            return input.Text;
        }

        var error = input.Error;
        errors.Error(ImportCodes.Unreadable, new SourceLocation(display, error.Line, error.Column),
            error.Kind == InputErrorKind.Missing ? "file not found" : "the file " + error.Message);
        return null;
    }
}
