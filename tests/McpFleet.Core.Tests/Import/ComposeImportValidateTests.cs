using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import;

public sealed class ComposeImportValidateTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mcpfleet-import-validate-").FullName;

    public static TheoryData<string> Cases => ComposeCorpus.Names(bad: false);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_CorpusCase_PassesFleetValidationAndResolves(string name)
    {
        var dir = ImportTo(name);

        var loaded = FleetLoader.Load(dir);

        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        var resolved = FleetResolver.Resolve(loaded.Spec!);
        Assert.Equal(loaded.Spec!.Servers.Count, resolved.Servers.Count());
    }

    private string ImportTo(string name)
    {
        var result = ComposeCorpus.Load(name).Import();
        Assert.True(result.Success, string.Join("\n", result.Errors));
        var dir = Path.Combine(_temp, name);
        Assert.Null(FleetDirectoryWriter.Write(result.Spec!, dir, ComposeImporter.FleetHeader(result.Report!)));
        return dir;
    }
}
