using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Rendering;

/// <summary>Checks that hold for every rendered fleet: schemas, kustomize, PSS, no secret values.</summary>
public sealed partial class ManifestTreeTests
{
    public static TheoryData<string> Fleets => new(FleetCases.Names);

    [Theory]
    [MemberData(nameof(Fleets))]
    public async Task Render_EveryObject_PassesUpstreamSchemas(string fleetName)
    {
        var files = ManifestTree.Build(FleetRenderer.Render(FleetCases.Get(fleetName)));
        var objects = files.Where(f => !f.RelativePath.EndsWith(ManifestTree.KustomizationFile, StringComparison.Ordinal))
            .SelectMany(f => ManifestYaml.LoadAllAsJson(f.Content))
            .ToList();

        var count = await ManifestSchemas.ValidateAsync(objects);

        Assert.Equal(objects.Count, count);
        Assert.Contains(objects, o => (string?)o["kind"] == "ExternalSecret");
    }

    [Theory]
    [MemberData(nameof(Fleets))]
    public void Render_EveryDocument_HasOnlyFieldsTheTypedModelsKnow(string fleetName)
    {
        // The schema check does not reject unknown fields; a typed round trip drops them, so any difference shows one.
        foreach (var file in ManifestTree.Build(FleetRenderer.Render(FleetCases.Get(fleetName))))
        {
            var asWritten = ManifestYaml.LoadAllAsJson(file.Content);
            var typed = ManifestYaml.LoadAll(file.Content).Select(ManifestJson.SerializeToNode).ToList();

            Assert.Equal(asWritten.Count, typed.Count);
            for (var i = 0; i < typed.Count; i++)
            {
                Assert.True(JsonNode.DeepEquals(asWritten[i], typed[i]), $"{file.RelativePath} document {i + 1}:\n{asWritten[i]}\n!=\n{typed[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fleets))]
    public async Task Render_Tree_BuildsWithKustomizeAtRootAndPerPhase(string fleetName)
    {
        var rendered = FleetRenderer.Render(FleetCases.Get(fleetName));
        using var dir = new TempDirectory();
        foreach (var file in ManifestTree.Build(rendered))
        {
            var path = Path.Combine(dir.Path, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, TestContext.Current.CancellationToken);
        }

        var root = (await ExternalTools.RunAsync(ExternalTools.Kubectl, ["kustomize", dir.Path])).EnsureSuccess();
        var all = ManifestYaml.LoadAllAsJson(root.StandardOutput);
        Assert.Equal(rendered.AllObjects.Count(), all.Count);
        foreach (var phase in rendered.Phases)
        {
            var built = (await ExternalTools.RunAsync(ExternalTools.Kubectl, ["kustomize", Path.Combine(dir.Path, phase.DirectoryName)])).EnsureSuccess();
            Assert.Equal(phase.Servers.Sum(s => s.Objects.Count), ManifestYaml.LoadAllAsJson(built.StandardOutput).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Fleets))]
    public void Render_EveryPodTemplate_IsPssRestricted(string fleetName)
    {
        var deployments = FleetRenderer.Render(FleetCases.Get(fleetName)).Servers.SelectMany(s => s.OfType<V1Deployment>()).ToList();

        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            PodSecurityAssert.Restricted(deployment.Metadata.Name, deployment.Spec.Template);
        }
    }

    [Theory]
    [MemberData(nameof(Fleets))]
    public void Render_SecretsComeOnlyFromExternalSecrets(string fleetName)
    {
        var fleet = FleetCases.Get(fleetName);
        var rendered = FleetRenderer.Render(fleet);
        foreach (var server in rendered.Servers)
        {
            var declared = fleet.Servers.Single(s => s.Name == server.Name).Spec.Secrets;
            var container = server.Find<V1Deployment>()!.Spec.Template.Spec.Containers.Single();
            foreach (var env in container.Env)
            {
                // No env var that looks like a credential is set literally: all of them arrive through envFrom.
                Assert.False(SecretName().IsMatch(env.Name) && env.Value is not null, $"{server.Name}: {env.Name} is a literal");
                Assert.DoesNotContain(declared, s => s.Name == env.Name);
            }

            var external = server.Find<ExternalSecret>();
            Assert.Equal(declared.Count > 0, external is not null);
            Assert.Equal(external?.Metadata.Name, container.EnvFrom?.Single().SecretRef.Name);
            Assert.Equal(declared.Select(s => (s.Name, s.RemoteRef)), external?.Spec.Data.Select(d => (d.SecretKey, d.RemoteRef.Key)) ?? []);
            Assert.Empty(server.Objects.OfType<V1Secret>());
        }
    }

    [Fact]
    public void Render_PlantedSecretValuesInProcessEnvironment_NeverReachOutput()
    {
        // The renderer has no way to read secret values; prove it does not pick any up from its environment either.
        var fleet = FleetCases.Get("sample");
        var planted = fleet.Servers.SelectMany(s => s.Spec.Secrets).Select(s => (s.Name, Value: $"planted-{Guid.NewGuid():N}")).ToList();
        foreach (var (name, value) in planted)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var text = string.Concat(ManifestTree.Build(FleetRenderer.Render(fleet)).Select(f => f.Content));

            Assert.All(planted, p => Assert.DoesNotContain(p.Value, text, StringComparison.Ordinal));
            Assert.DoesNotMatch(KnownSecretShape(), text);
        }
        finally
        {
            foreach (var (name, _) in planted)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void Build_ExampleFleet_MatchesGoldenFiles()
    {
        var files = ManifestTree.Build(FleetRenderer.Render(FleetCases.Example("sophia-ai")));

        Assert.Equal(16 + 4 + 2, files.Count);
        foreach (var file in files)
        {
            Golden.Match($"Snapshots/sophia-ai/{file.RelativePath}", file.Content);
        }

        // No stale golden file lingers after a server or phase is renamed.
        var snapshots = Path.Combine(Golden.SourceDirectory(), "Snapshots", "sophia-ai");
        var onDisk = Directory.EnumerateFiles(snapshots, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(snapshots, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(files.Select(f => f.RelativePath).Order(StringComparer.Ordinal), onDisk);
    }

    [Fact]
    public void Build_ExampleFleet_IsByteIdenticalAcrossLoads()
    {
        var first = ManifestTree.Build(FleetRenderer.Render(FleetCases.Example("sophia-ai")));
        var second = ManifestTree.Build(FleetRenderer.Render(FleetCases.Example("sophia-ai")));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Build_Tree_HasContractLayout()
    {
        var files = ManifestTree.Build(FleetRenderer.Render(TestFleets.Sample())).Select(f => f.RelativePath);

        Assert.Equal(
            [
                "Kustomization", "namespace.yaml",
                "phase-1-core/Kustomization", "phase-1-core/ai-memory.yaml", "phase-1-core/github.yaml", "phase-1-core/slack.yaml",
                "phase-2-business/Kustomization", "phase-2-business/gong.yaml",
            ],
            files);
    }

    [Fact]
    public void Build_PhaseFilter_KeepsOnlyThatPhase()
    {
        var files = ManifestTree.Build(FleetRenderer.Render(TestFleets.Sample()), phase: 2).Select(f => f.RelativePath);

        Assert.Equal(["Kustomization", "namespace.yaml", "phase-2-business/Kustomization", "phase-2-business/gong.yaml"], files);
    }

    [Fact]
    public void IsRenderOutput_RootKustomization_IsRecognisedAndOthersAreNot()
    {
        var root = ManifestTree.Build(FleetRenderer.Render(TestFleets.Sample()))[0].Content;

        Assert.True(ManifestTree.IsRenderOutput(root));
        Assert.False(ManifestTree.IsRenderOutput("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"));
        Assert.False(ManifestTree.IsRenderOutput("{{ not yaml"));
    }

    [Fact]
    public void WriteStream_AllDocuments_EqualsNamespacePlusServerFiles()
    {
        var rendered = FleetRenderer.Render(TestFleets.Sample());
        using var writer = new StringWriter();

        ManifestTree.WriteStream(rendered, writer);

        Assert.Equal(ManifestYaml.SerializeAll(rendered.AllObjects), writer.ToString());
    }

    [Fact]
    public void LoadAllAsJson_ScalarStyles_ResolvesLikeYamlCoreSchema()
    {
        var node = Assert.Single(ManifestYaml.LoadAllAsJson("---\na: \"9464\"\nb: 9464\nc: true\nd: 'true'\ne: 1.5\nf: 500m\ng: ~\n"));

        Assert.Equal("""{"a":"9464","b":9464,"c":true,"d":"true","e":1.5,"f":"500m","g":null}""", node.ToJsonString());
    }

    [GeneratedRegex("(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Shapes of real credentials (GitHub, Slack, OpenAI-style, AWS access keys, PEM keys, JWTs).
    [GeneratedRegex(@"(ghp_[A-Za-z0-9]{20,}|xox[abp]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\.eyJ)")]
    private static partial Regex KnownSecretShape();
}

/// <summary>The fleets that the fleet-wide checks run over.</summary>
internal static class FleetCases
{
    public static IEnumerable<string> Names => ["sample", "sample-v1beta1", "proxied", "sophia-ai", "sophia-ai-gateway", "stdio-servers"];

    public static ResolvedFleet Get(string name) => name switch
    {
        "sample" => TestFleets.Sample(),
        "sample-v1beta1" => TestFleets.Sample() with { ExternalSecretApiVersion = "external-secrets.io/v1beta1" },
        "proxied" => TestFleets.Proxied(),
        _ => Example(name),
    };

    /// <summary>Loads and resolves <c>examples/&lt;name&gt;</c>.</summary>
    public static ResolvedFleet Example(string name)
    {
        var loaded = FleetLoader.Load(Path.Combine(Golden.RepoRoot(), "examples", name));
        Assert.True(loaded.Success, string.Join('\n', loaded.Diagnostics));
        return FleetResolver.Resolve(loaded.Spec!);
    }
}

/// <summary>A temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcpfleet-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
