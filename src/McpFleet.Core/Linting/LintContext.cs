using McpFleet.Diagnostics;

namespace McpFleet.Linting;

/// <summary>The whole bundle as rules see it: every object, the workloads, and lookups across objects.</summary>
internal sealed class LintContext
{
    private readonly Dictionary<string, List<LintObject>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<LintObject, Workload> _workloadOf = [];
    private readonly Dictionary<YMap, CompiledSelector> _compiled = [];
    private Dictionary<(string Key, string Value), List<Workload>>? _byLabel;
    private Dictionary<(string Kind, string Name, string Namespace), Workload>? _byName;
    private Dictionary<Workload, List<LintObject>>? _servicesOf;
    private Dictionary<Workload, List<LintObject>>? _hpasOf;
    private Dictionary<Workload, List<LintObject>>? _pdbsOf;
    private Dictionary<Workload, List<LintObject>>? _policiesOf;
    private Dictionary<string, List<LintObject>>? _esByTarget;
    private readonly Dictionary<string, Dictionary<string, List<LintObject>>> _byKindAndName = new(StringComparer.Ordinal);

    public LintContext(IReadOnlyList<LintObject> objects, IReadOnlyList<(SourceLocation Location, string Message)> loadProblems, LintOptions options)
    {
        Objects = objects;
        LoadProblems = loadProblems;
        Options = options;
        var workloads = new List<Workload>();
        foreach (var o in objects)
        {
            if (!_byKind.TryGetValue(o.Kind, out var list))
            {
                _byKind[o.Kind] = list = [];
            }

            list.Add(o);
            if (Workload.From(o) is { } w)
            {
                workloads.Add(w);
                _workloadOf[o] = w;
            }
        }

        Workloads = workloads;
    }

    public IReadOnlyList<LintObject> Objects { get; }

    /// <summary>Syntax errors and duplicate keys found while reading.</summary>
    public IReadOnlyList<(SourceLocation Location, string Message)> LoadProblems { get; }

    public LintOptions Options { get; }

    public IReadOnlyList<Workload> Workloads { get; }

    public IEnumerable<Workload> McpWorkloads => Workloads.Where(w => w.IsMcp);

    public IReadOnlyList<LintObject> OfKind(string kind) => _byKind.TryGetValue(kind, out var list) ? list : [];

    public Workload? WorkloadOf(LintObject obj) => _workloadOf.GetValueOrDefault(obj);

    /// <summary>The workloads in <paramref name="owner"/>'s namespace whose pod labels match a LabelSelector.</summary>
    public IReadOnlyList<Workload> Selected(LintObject owner, YMap? selector) =>
        selector is null ? [] : Select(owner, Compile(selector));

    /// <summary>Whether a LabelSelector matches any workload in <paramref name="owner"/>'s namespace (stops at the first).</summary>
    public bool SelectsAny(LintObject owner, YMap selector) => Select(owner, Compile(selector), firstOnly: true).Count > 0;

    /// <summary>The workloads a Service selects (none when it has no selector).</summary>
    public IReadOnlyList<Workload> SelectedByService(LintObject service)
    {
        var selector = service.Spec?.Map("selector");
        if (selector is null || selector.Entries.Count == 0)
        {
            return [];
        }

        if (!_compiled.TryGetValue(selector, out var compiled))
        {
            _compiled[selector] = compiled = new CompiledSelector([.. service.Spec!.StringMap("selector")], []);
        }

        return Select(service, compiled);
    }

    /// <summary>The Services that select <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> ServicesOf(Workload workload) =>
        Reverse(ref _servicesOf, "Service", SelectedByService, workload);

    /// <summary>The HorizontalPodAutoscalers whose scaleTargetRef names <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> HpasOf(Workload workload) =>
        Reverse(ref _hpasOf, "HorizontalPodAutoscaler", h => TargetOf(h) is { } t ? [t] : [], workload);

    /// <summary>The workload an HPA targets, if it is in the bundle.</summary>
    public Workload? TargetOf(LintObject hpa)
    {
        if (hpa.Spec?.Map("scaleTargetRef") is not { } r)
        {
            return null;
        }

        if (_byName is null)
        {
            _byName = [];
            foreach (var w in Workloads)
            {
                _byName.TryAdd((w.Object.Kind, w.Object.Name, w.Object.Namespace), w);
            }
        }

        var key = (r.Str("kind") ?? "", r.Str("name") ?? "", hpa.Namespace);
        return _byName.GetValueOrDefault(key)
            ?? Workloads.FirstOrDefault(w => w.Object.SameNamespace(hpa) && w.Object.Kind == key.Item1 && w.Object.Name == key.Item2);
    }

    /// <summary>The PodDisruptionBudgets that select <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> PdbsOf(Workload workload) =>
        Reverse(ref _pdbsOf, "PodDisruptionBudget", p => Selected(p, p.Spec?.Map("selector")), workload);

    /// <summary>The NetworkPolicies whose podSelector selects <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> PoliciesOf(Workload workload) =>
        Reverse(ref _policiesOf, "NetworkPolicy", p => Selected(p, p.Spec?.Map("podSelector")), workload);

    private List<LintObject> Reverse(
        ref Dictionary<Workload, List<LintObject>>? cache, string kind, Func<LintObject, IReadOnlyList<Workload>> selects, Workload workload)
    {
        if (cache is null)
        {
            cache = [];
            foreach (var o in OfKind(kind))
            {
                foreach (var w in selects(o))
                {
                    if (!cache.TryGetValue(w, out var list))
                    {
                        cache[w] = list = [];
                    }

                    list.Add(o);
                }
            }
        }

        return cache.TryGetValue(workload, out var found) ? found : [];
    }

    private CompiledSelector Compile(YMap selector)
    {
        if (!_compiled.TryGetValue(selector, out var compiled))
        {
            _compiled[selector] = compiled = new CompiledSelector([.. selector.StringMap("matchLabels")], [.. selector.Maps("matchExpressions")]);
        }

        return compiled;
    }

    private List<Workload> Select(LintObject owner, CompiledSelector selector, bool firstOnly = false)
    {
        if (_byLabel is null)
        {
            _byLabel = [];
            foreach (var w in Workloads)
            {
                foreach (var pair in w.TemplateLabels)
                {
                    if (!_byLabel.TryGetValue((pair.Key, pair.Value), out var list))
                    {
                        _byLabel[(pair.Key, pair.Value)] = list = [];
                    }

                    list.Add(w);
                }
            }
        }

        // An inverted index on the first matchLabels pair keeps a 10 000-object bundle linear.
        IEnumerable<Workload> candidates = selector.Labels.Count > 0
            ? _byLabel.GetValueOrDefault((selector.Labels[0].Key, selector.Labels[0].Value)) ?? []
            : Workloads;
        var result = new List<Workload>();
        foreach (var w in candidates)
        {
            if (w.Object.SameNamespace(owner) && selector.Matches(w.TemplateLabels))
            {
                result.Add(w);
                if (firstOnly)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The highest replica count a workload can run: the HPA's maxReplicas, else spec.replicas (default 1).</summary>
    public long MaxReplicas(Workload workload)
    {
        var hpaMax = HpasOf(workload).Select(h => h.Spec?.Number("maxReplicas") ?? 1).DefaultIfEmpty(0).Max();
        return Math.Max(hpaMax, workload.ReplicasNode?.AsInt() ?? 1);
    }

    /// <summary>The ExternalSecrets whose target Secret is <paramref name="secretName"/> in <paramref name="owner"/>'s namespace.</summary>
    public IEnumerable<LintObject> ExternalSecretsProducing(LintObject owner, string secretName)
    {
        if (_esByTarget is null)
        {
            _esByTarget = new(StringComparer.Ordinal);
            foreach (var es in OfKind("ExternalSecret"))
            {
                var target = ExternalSecretTarget(es);
                if (!_esByTarget.TryGetValue(target, out var list))
                {
                    _esByTarget[target] = list = [];
                }

                list.Add(es);
            }
        }

        return _esByTarget.TryGetValue(secretName, out var found) ? found.Where(e => e.SameNamespace(owner)) : [];
    }

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/> in <paramref name="owner"/>'s namespace.</summary>
    public LintObject? FindNamed(string kind, LintObject owner, string name)
    {
        if (!_byKindAndName.TryGetValue(kind, out var byName))
        {
            byName = new(StringComparer.Ordinal);
            foreach (var o in OfKind(kind))
            {
                if (!byName.TryGetValue(o.Name, out var list))
                {
                    byName[o.Name] = list = [];
                }

                list.Add(o);
            }

            _byKindAndName[kind] = byName;
        }

        return byName.TryGetValue(name, out var found) ? found.Find(o => o.SameNamespace(owner)) : null;
    }

    /// <summary>The name of the Secret an ExternalSecret writes: spec.target.name, else its own name.</summary>
    public static string ExternalSecretTarget(LintObject externalSecret) =>
        externalSecret.Spec?.Map("target")?.Str("name") is { Length: > 0 } n ? n : externalSecret.Name;

    /// <summary>Whether a Secret named <paramref name="name"/> exists in the bundle (as a Secret or an ExternalSecret target).</summary>
    public bool SecretExists(LintObject owner, string name) =>
        FindNamed("Secret", owner, name) is not null || ExternalSecretsProducing(owner, name).Any();

    /// <summary>Whether a ConfigMap named <paramref name="name"/> exists in the bundle.</summary>
    public bool ConfigMapExists(LintObject owner, string name) => FindNamed("ConfigMap", owner, name) is not null;
}

/// <summary>Options of a lint run (from <c>.mcpfleet-lint.yaml</c> and the command line).</summary>
public sealed record LintOptions
{
    /// <summary>Gets the lowest allowed MCP port (the document's 9000).</summary>
    public int McpPortMin { get; init; } = 9000;

    /// <summary>Gets the highest allowed MCP port (the document's 9020).</summary>
    public int McpPortMax { get; init; } = 9020;

    /// <summary>Gets the configured severity per rule id; <see langword="null"/> disables the rule.</summary>
    public IReadOnlyDictionary<string, DiagnosticSeverity?> Severities { get; init; } = new Dictionary<string, DiagnosticSeverity?>();
}

/// <summary>A LabelSelector read once: its matchLabels pairs and matchExpressions.</summary>
internal sealed record CompiledSelector(List<KeyValuePair<string, string>> Labels, List<YMap> Expressions)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (k, v) in Labels)
        {
            if (!labels.TryGetValue(k, out var actual) || actual != v)
            {
                return false;
            }
        }

        return Expressions.Count == 0 || LabelSelector.MatchesExpressions(Expressions, labels);
    }
}
