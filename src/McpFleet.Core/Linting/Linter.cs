using McpFleet.Diagnostics;
using McpFleet.Linting.Rules;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>The outcome of a lint run.</summary>
/// <param name="Findings">The findings, sorted by file, line and column.</param>
/// <param name="Files">The files read.</param>
/// <param name="ObjectCount">How many Kubernetes objects were read.</param>
public sealed record LintResult(IReadOnlyList<LintFinding> Findings, IReadOnlyList<string> Files, int ObjectCount)
{
    /// <summary>Counts the findings of one severity.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The count.</returns>
    public int Count(DiagnosticSeverity severity) => Findings.Count(f => f.Severity == severity);

    /// <summary>Whether any finding is at or above <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The lowest severity that fails the run.</param>
    /// <returns><see langword="true"/> when the run fails.</returns>
    public bool Fails(DiagnosticSeverity threshold) => Findings.Any(f => f.Severity >= threshold);
}

/// <summary>Lints Kubernetes YAML: reads every document, runs every enabled rule, applies suppressions and severities.</summary>
public sealed class Linter
{
    /// <summary>The annotation that suppresses rules on one object: <c>"MCP020,MCP036"</c>.</summary>
    public const string IgnoreAnnotation = "mcpfleet.io/ignore";

    /// <summary>The annotation that must say why <see cref="IgnoreAnnotation"/> is there.</summary>
    public const string IgnoreReasonAnnotation = "mcpfleet.io/ignore-reason";

    private readonly LintOptions _options;

    /// <summary>Creates a linter.</summary>
    /// <param name="options">Options; the defaults when null.</param>
    public Linter(LintOptions? options = null) => _options = options ?? new LintOptions();

    /// <summary>Gets the metadata of every rule, in id order.</summary>
    public static IReadOnlyList<LintRuleInfo> Rules { get; } = [.. LintRules.All.Select(r => r.Info)];

    /// <summary>Lints a bundle of sources as one: cross-object rules see every object of every source.</summary>
    /// <param name="sources">The inputs.</param>
    /// <param name="cancellationToken">Cancels between rules.</param>
    /// <returns>The result.</returns>
    public LintResult Lint(IEnumerable<LintSource> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        // Parsing dominates a large bundle and every file is independent: read them in parallel, merge in order.
        var inputs = sources.ToList();
        var parsed = new (IReadOnlyList<YDocument> Documents, List<(SourceLocation Location, string Message)> Problems)[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var fileProblems = new List<(SourceLocation Location, string Message)>();
            if (inputs[i].ReadError is { } unreadable)
            {
                fileProblems.Add((new SourceLocation(inputs[i].Path, unreadable.Line, unreadable.Column), "the file " + unreadable.Message));
                parsed[i] = ([], fileProblems);
                return;
            }

            parsed[i] = (YamlDocumentReader.Read(inputs[i].Path, inputs[i].Text, fileProblems), fileProblems);
        });

        var problems = new List<(SourceLocation Location, string Message)>();
        var objects = new List<LintObject>();
        var files = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var source = inputs[i];
            files.Add(source.Path);
            problems.AddRange(parsed[i].Problems);
            foreach (var document in parsed[i].Documents)
            {
                if (document.Root is not YMap root)
                {
                    problems.Add((new SourceLocation(source.Path, document.Root.Line, document.Root.Column),
                        $"document {document.Index} is not a Kubernetes object (a mapping)"));
                    continue;
                }

                var obj = new LintObject(source.Path, document.Index, root);
                if (obj.ApiVersion.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal))
                {
                    // A kustomization is build input for kubectl -k, not an object the cluster sees.
                    continue;
                }

                if (obj.Kind.EndsWith("List", StringComparison.Ordinal) && root.Seq("items") is { } items)
                {
                    objects.AddRange(items.Maps.Select(item => new LintObject(source.Path, document.Index, item)));
                }
                else
                {
                    objects.Add(obj);
                }
            }
        }

        var context = new LintContext(objects, problems, _options);
        // Rules are independent and only read the bundle: run them in parallel, keep their findings in rule order.
        var rules = LintRules.All
            .Where(r => !(_options.Severities.TryGetValue(r.Info.Id, out var configured) && configured is null))
            .ToList();
        var collectors = new FindingCollector[rules.Count];
        Parallel.For(0, rules.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            collectors[i] = new FindingCollector { Current = rules[i].Info };
            rules[i].Check(context, collectors[i]);
        });

        var findings = new List<LintFinding>();
        foreach (var raw in collectors.SelectMany(c => c.Items))
        {
            if (raw.Object is not null && IsSuppressed(raw.Object, raw.Rule.Id))
            {
                continue;
            }

            var severity = raw.Severity
                ?? (_options.Severities.TryGetValue(raw.Rule.Id, out var s) && s is { } set ? set : raw.Rule.DefaultSeverity);
            findings.Add(new LintFinding(raw.Rule.Id, severity, raw.Message, raw.Location, raw.Object?.DisplayName, raw.Object?.Namespace is { Length: > 0 } ns ? ns : null));
        }

        var sorted = findings
            .Select((f, i) => (f, i))
            .OrderBy(x => x.f.Location.File, StringComparer.Ordinal)
            .ThenBy(x => x.f.Location.Line)
            .ThenBy(x => x.f.Location.Column)
            .ThenBy(x => x.f.RuleId, StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToList();
        return new LintResult(sorted, files, objects.Count);
    }

    /// <summary>The rule ids an object's <see cref="IgnoreAnnotation"/> lists.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The ids, upper-cased and trimmed.</returns>
    internal static IEnumerable<string> IgnoredIds(LintObject obj) =>
        obj.Annotations.TryGetValue(IgnoreAnnotation, out var value)
            ? value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => id.ToUpperInvariant())
            : [];

    private static bool IsSuppressed(LintObject obj, string ruleId) =>
        ruleId != IgnoreAnnotationRuleId.Value && IgnoredIds(obj).Contains(ruleId, StringComparer.Ordinal);
}
