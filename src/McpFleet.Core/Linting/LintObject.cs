using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>One Kubernetes object of the bundle: its YAML tree, where it was read from, and its identity.</summary>
internal sealed class LintObject
{
    internal LintObject(string file, int documentIndex, YMap root)
    {
        File = file;
        DocumentIndex = documentIndex;
        Root = root;
        Metadata = root.Map("metadata");
        ApiVersion = root.Str("apiVersion") ?? "";
        Kind = root.Str("kind") ?? "";
        Name = Metadata?.Str("name") ?? Metadata?.Str("generateName") ?? "";
        Namespace = Metadata?.Str("namespace") ?? "";
        Labels = Metadata?.StringMap("labels") ?? new Dictionary<string, string>();
        Annotations = Metadata?.StringMap("annotations") ?? new Dictionary<string, string>();
    }

    /// <summary>Gets the file the object was read from.</summary>
    public string File { get; }

    /// <summary>Gets the 1-based index of the YAML document in its file.</summary>
    public int DocumentIndex { get; }

    /// <summary>Gets the document's root mapping.</summary>
    public YMap Root { get; }

    /// <summary>Gets <c>metadata</c>, when present.</summary>
    public YMap? Metadata { get; }

    /// <summary>Gets <c>apiVersion</c> (empty when missing).</summary>
    public string ApiVersion { get; }

    /// <summary>Gets <c>kind</c> (empty when missing).</summary>
    public string Kind { get; }

    /// <summary>Gets <c>metadata.name</c> (empty when missing).</summary>
    public string Name { get; }

    /// <summary>Gets <c>metadata.namespace</c> (empty when unset: the namespace it is applied to).</summary>
    public string Namespace { get; }

    /// <summary>Gets <c>metadata.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Gets <c>metadata.annotations</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Gets <c>spec</c>, when present.</summary>
    public YMap? Spec => Root.Map("spec");

    /// <summary>Gets <c>Kind/name</c>, how findings name the object.</summary>
    public string DisplayName => $"{Kind}/{Name}";

    /// <summary>Gets the location of a node of this object, or of the object itself.</summary>
    /// <param name="node">The node, or <see langword="null"/> for the object.</param>
    /// <returns>The location.</returns>
    public SourceLocation Locate(YNode? node) => node is null
        ? new SourceLocation(File, Root.Line, Root.Column)
        : new SourceLocation(File, node.Line, node.Column);

    /// <summary>Whether <paramref name="other"/> lives in the same namespace. An unset namespace matches any.</summary>
    /// <param name="other">The other object.</param>
    /// <returns><see langword="true"/> when they share a namespace.</returns>
    public bool SameNamespace(LintObject other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Namespace.Length == 0 || other.Namespace.Length == 0 || Namespace == other.Namespace;
    }

    /// <summary>Whether this is <paramref name="kind"/> (case-sensitive, as Kubernetes is).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Is(string kind) => Kind == kind;
}
