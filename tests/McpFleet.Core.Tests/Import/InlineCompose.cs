using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

/// <summary>A Compose project written to a temp directory by a test, for imports that need no golden corpus case.</summary>
public sealed class InlineCompose : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mcpfleet-inline-compose-").FullName;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>Writes a file of the project.</summary>
    public InlineCompose With(string path, string content)
    {
        var full = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    /// <summary>Imports <c>docker-compose.yml</c> (written from <paramref name="compose"/>) with the given options.</summary>
    public ComposeImportResult Import(string compose, Func<ComposeImportOptions, ComposeImportOptions>? configure = null)
    {
        With("docker-compose.yml", compose);
        var options = new ComposeImportOptions { Files = ["docker-compose.yml"], BaseDirectory = Directory };
        return ComposeImporter.Import(configure?.Invoke(options) ?? options);
    }

    /// <summary>The report rows of the service <paramref name="service"/>.</summary>
    public static IReadOnlyList<ReportEntry> Rows(ComposeImportResult result, string service) =>
        result.Report!.Services.Single(s => s.Service == service).Entries;
}
