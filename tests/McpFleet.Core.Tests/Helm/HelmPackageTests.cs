using System.Formats.Tar;
using System.IO.Compression;

namespace McpFleet.Core.Tests.Helm;

public sealed class HelmPackageTests
{
    // values/ holds inputs of `helm install -f`; .helmignore keeps them out of the packaged chart.
    [Fact]
    public async Task HelmPackage_Chart_HasTemplatesSchemaAndNoValuesDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("mcpfleet-helm-package-").FullName;
        try
        {
            (await HelmChart.PackageAsync(dir)).EnsureSuccess();

            var entries = new List<string>();
            await using (var gzip = new GZipStream(File.OpenRead(Directory.GetFiles(dir, "*.tgz").Single()), CompressionMode.Decompress))
            {
                using var tar = new TarReader(gzip);
                while (await tar.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken) is { } entry)
                {
                    entries.Add(entry.Name);
                }
            }

            Assert.Contains("mcp-servers/values.schema.json", entries);
            Assert.Contains("mcp-servers/templates/deployment.yaml", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("mcp-servers/values/", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
