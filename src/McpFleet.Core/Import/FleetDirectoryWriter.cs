using McpFleet.Diagnostics;
using McpFleet.IO;
using McpFleet.Spec;

namespace McpFleet.Import;

/// <summary>The migration report file written with an imported fleet.</summary>
/// <param name="Path">The report's path.</param>
/// <param name="Markdown">The report.</param>
public sealed record ImportReportFile(string Path, string Markdown);

/// <summary>What <see cref="FleetDirectoryWriter.Write(FleetSpec, string, IReadOnlyList{string}, ImportReportFile?)"/> did.</summary>
/// <param name="Failure">Why nothing was written, or <see langword="null"/> on success; its file is the full path that failed.</param>
/// <param name="Removed">Files of the previous import that the new one does not have (relative, <c>/</c>-separated).</param>
public sealed record FleetWriteResult(Diagnostic? Failure, IReadOnlyList<string> Removed);

/// <summary>
/// Writes an imported fleet directory (<c>fleet.yaml</c>, <c>values/*.yaml</c>) and its report as one step: both are
/// staged first (<see cref="AtomicDirectory"/>, <see cref="AtomicFile"/>), then the directory is swapped in and the
/// report renamed; if the report cannot be put in place the directory is swapped back. Any failure leaves nothing.
/// </summary>
public static class FleetDirectoryWriter
{
    /// <summary>Writes <c>fleet.yaml</c> and <c>values/*.yaml</c> to <paramref name="directory"/>.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="directory">The fleet directory. It may be missing, empty, or a previous import (which is replaced).</param>
    /// <param name="headerComments">Comment lines for the top of <c>fleet.yaml</c>, after the import marker.</param>
    /// <returns><see langword="null"/> on success, else why nothing was written.</returns>
    public static Diagnostic? Write(FleetSpec spec, string directory, IReadOnlyList<string> headerComments) =>
        Write(spec, directory, headerComments, report: null).Failure;

    /// <summary>Writes the fleet directory and, when given, the report, all or nothing.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="directory">The fleet directory. It may be missing, empty, or a previous import (which is replaced).</param>
    /// <param name="headerComments">Comment lines for the top of <c>fleet.yaml</c>, after the import marker.</param>
    /// <param name="report">The report to write with it, or <see langword="null"/>.</param>
    /// <returns>The outcome: a failure (MCI011, nothing written) or the files the replacement removed.</returns>
    public static FleetWriteResult Write(FleetSpec spec, string directory, IReadOnlyList<string> headerComments, ImportReportFile? report)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(headerComments);
        var target = Path.GetFullPath(directory);
        AtomicDirectory? output = null;
        StagedFile? staged = null;
        try
        {
            try
            {
                output = AtomicDirectory.Begin(target, new AtomicDirectoryOptions { MayReplace = d => IsPreviousImport(d) ? null : "is not empty and is not a previous import; choose another --out" });
                output.WriteFile(FleetLoader.FleetFileName, FleetSpecYamlWriter.WriteFleet(spec, [FleetSpecYamlWriter.ImportMarker, .. headerComments]));
                foreach (var server in spec.Servers)
                {
                    output.WriteFile($"{FleetLoader.ValuesDirectoryName}/{server.Name}.yaml", FleetSpecYamlWriter.WriteServer(server));
                }
            }
            catch (Exception e) when (e is OutputRefusedException or IOException)
            {
                return Failed(target, e is OutputRefusedException ? "the output directory " + e.Message : "cannot write the output directory: " + e.Message);
            }

            if (report is not null)
            {
                try
                {
                    staged = AtomicFile.Stage(report.Path, report.Markdown);
                }
                catch (Exception e) when (e is OutputRefusedException or IOException)
                {
                    return Failed(Path.GetFullPath(report.Path), (e is OutputRefusedException ? "the report " : "cannot write the report: ") + e.Message);
                }
            }

            IReadOnlyList<string> removed;
            try
            {
                removed = output.Commit();
            }
            catch (IOException e)
            {
                return Failed(target, "cannot write the output directory: " + e.Message);
            }

            try
            {
                staged?.Commit();
            }
            catch (IOException e)
            {
                output.Rollback();
                return Failed(staged!.Path, "cannot write the report: " + e.Message);
            }

            return new FleetWriteResult(null, removed);
        }
        finally
        {
            staged?.Dispose();
            output?.Dispose();
        }
    }

    private static FleetWriteResult Failed(string path, string message) =>
        new(new Diagnostic(DiagnosticSeverity.Error, ImportCodes.OutputNotEmpty, message, SourceLocation.OfFile(path)), []);

    private static bool IsPreviousImport(string directory) =>
        InputFile.StartsWith(Path.Combine(directory, FleetLoader.FleetFileName), "# " + FleetSpecYamlWriter.ImportMarker);
}
