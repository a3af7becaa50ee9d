using k8s.Models;
using McpFleet.Yaml;

namespace McpFleet.Rendering;

/// <summary>One file of the render output.</summary>
/// <param name="RelativePath">The path below the output directory, with <c>/</c> separators.</param>
/// <param name="Content">The YAML text.</param>
public sealed record ManifestFile(string RelativePath, string Content);

/// <summary>
/// Lays a <see cref="RenderedFleet"/> out as the directory tree that <c>mcpfleet render --out DIR</c> writes:
/// <c>Kustomization</c> and <c>namespace.yaml</c> at the root, and <c>phase-&lt;n&gt;-&lt;name&gt;/</c> with a
/// <c>Kustomization</c> and one multi-document file per server.
/// </summary>
/// <remarks>
/// The kustomization files use the extension-less name that kustomize also reads, so that <c>kubectl apply -f</c>
/// (which reads only <c>.yaml</c>, <c>.yml</c> and <c>.json</c>) skips them: a <c>kustomization.yaml</c> would make
/// <c>kubectl apply -f DIR</c> fail on a kind the API server does not serve.
/// </remarks>
public static class ManifestTree
{
    /// <summary>The kustomization file name (kustomize reads <c>kustomization.yaml</c>, <c>kustomization.yml</c> or <c>Kustomization</c>).</summary>
    public const string KustomizationFile = "Kustomization";

    /// <summary>The namespace file name.</summary>
    public const string NamespaceFile = "namespace.yaml";

    /// <summary>Builds every file, in a stable order.</summary>
    /// <param name="fleet">The rendered fleet.</param>
    /// <param name="phase">Only this phase number, or <see langword="null"/> for all.</param>
    /// <returns>The files.</returns>
    public static IReadOnlyList<ManifestFile> Build(RenderedFleet fleet, int? phase = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var phases = fleet.Phases.Where(p => phase is null || p.Number == phase).ToList();
        var writer = new ManifestWriter(65536);
        var files = new List<ManifestFile>(2 + phases.Sum(p => p.Servers.Count + 1))
        {
            new(KustomizationFile, Yaml(writer, [RootKustomization(fleet, phases, phase)], separator: false)),
            new(NamespaceFile, Yaml(writer, [fleet.Namespace], separator: false)),
        };
        foreach (var p in phases)
        {
            files.Add(new($"{p.DirectoryName}/{KustomizationFile}", Yaml(writer, [new Kustomization
            {
                Metadata = new V1ObjectMeta { Name = p.DirectoryName },
                Resources = p.Servers.Select(s => FileName(s)).ToList(),
            }], separator: false)));
            foreach (var server in p.Servers)
            {
                files.Add(new($"{p.DirectoryName}/{FileName(server)}", Yaml(writer, server.Objects, separator: true)));
            }
        }

        if (Gateway(fleet, phase) is { } gateway)
        {
            files.Add(new($"{GatewayDirectory}/{KustomizationFile}", Yaml(writer, [new Kustomization
            {
                Metadata = new V1ObjectMeta { Name = GatewayDirectory },
                Resources = [FileName(gateway)],
            }], separator: false)));
            files.Add(new($"{GatewayDirectory}/{FileName(gateway)}", Yaml(writer, gateway.Objects, separator: true)));
        }

        return files;
    }

    /// <summary>Writes every document (the namespace, then each server's objects) as one stream, for <c>--out -</c>.</summary>
    /// <param name="fleet">The rendered fleet.</param>
    /// <param name="output">The writer.</param>
    /// <param name="phase">Only this phase number, or <see langword="null"/> for all.</param>
    public static void WriteStream(RenderedFleet fleet, TextWriter output, int? phase = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new ManifestWriter(1 << 20);
        writer.Write(fleet.Namespace, separator: true);
        foreach (var server in fleet.Phases.Where(p => phase is null || p.Number == phase).SelectMany(p => p.Servers))
        {
            foreach (var o in server.Objects)
            {
                writer.Write(o, separator: true);
            }

            // Chunks end on a document boundary, so no UTF-8 sequence is ever split.
            if (writer.Yaml.Length > (1 << 20) - (64 << 10))
            {
                output.Write(writer.ToString());
                writer.Yaml.Clear();
            }
        }

        foreach (var o in Gateway(fleet, phase)?.Objects ?? [])
        {
            writer.Write(o, separator: true);
        }

        output.Write(writer.ToString());
    }

    /// <summary>The directory of the gateway's files (after the phases, as it is rolled out after them).</summary>
    public const string GatewayDirectory = "gateway";

    // The gateway belongs to the rollout step after the last phase, so a phase filter keeps it only for that number.
    private static RenderedServer? Gateway(RenderedFleet fleet, int? phase) =>
        fleet.Gateway is { } gateway && (phase is null || phase == gateway.Phase) ? gateway : null;

    /// <summary>The largest root kustomization <see cref="IsRenderOutput"/> reads; a render writes a few hundred bytes.</summary>
    public const int MaxKustomizationBytes = 64 << 10;

    /// <summary>Tells whether a root kustomization was written by <c>mcpfleet render</c> (so its directory may be replaced).</summary>
    /// <param name="kustomizationYaml">The content of the root <c>Kustomization</c>.</param>
    /// <returns><see langword="true"/> when it carries the marker annotation.</returns>
    /// <remarks>
    /// The file sits in an output directory that anyone may change (it is committed), so reading it is bounded: no
    /// alias is expanded (the project's reader keeps them shared), the text is at most
    /// <see cref="MaxKustomizationBytes"/>, and deeply nested text is not parsed at all.
    /// </remarks>
    public static bool IsRenderOutput(string kustomizationYaml)
    {
        ArgumentNullException.ThrowIfNull(kustomizationYaml);
        if (kustomizationYaml.Length > MaxKustomizationBytes || !ShallowEnough(kustomizationYaml))
        {
            return false;
        }

        var read = YamlReader.Read(kustomizationYaml);
        return !read.Failed
            && read.Documents is [{ Root: YMap k }]
            && k.Str("kind") == Kustomization.KindName
            && k.Map("metadata")?.Map("annotations")?.Str(Kustomization.RenderedByAnnotation) == RuntimeContract.Labels.ManagedByValue;
    }

    // A render's kustomization nests three levels; a few dozen is already not one, and a parser recurses per level.
    private static bool ShallowEnough(string text)
    {
        var flow = 0;
        var indent = 0;
        var lineStart = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                lineStart = true;
                indent = 0;
                continue;
            }

            if (lineStart && c is ' ' or '-')
            {
                if (++indent > 64)
                {
                    return false;
                }

                continue;
            }

            lineStart = false;
            if (c is '[' or '{' && ++flow > 64)
            {
                return false;
            }
        }

        return true;
    }

    private static string Yaml(ManifestWriter writer, IEnumerable<object> objects, bool separator)
    {
        writer.Yaml.Clear();
        foreach (var o in objects)
        {
            writer.Write(o, separator);
        }

        return writer.ToString();
    }

    private static string FileName(RenderedServer server) => server.Name + ".yaml";

    private static Kustomization RootKustomization(RenderedFleet fleet, IEnumerable<RenderedPhase> phases, int? phase) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = fleet.Fleet.Name,
            Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [Kustomization.RenderedByAnnotation] = RuntimeContract.Labels.ManagedByValue,
            },
        },
        Resources = phases.Select(p => p.DirectoryName).Prepend(NamespaceFile).Concat(Gateway(fleet, phase) is null ? [] : [GatewayDirectory]).ToList(),
    };
}
