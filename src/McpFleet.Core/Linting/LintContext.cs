using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>The whole bundle as rules see it: every object, the workloads, and lookups across objects.</summary>
internal sealed class LintContext
{
    private readonly Dictionary<string, List<LintObject>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<LintObject, Workload> _workloadOf = [];
    // Rules run in parallel: the indexes are built up front, selector compilation is concurrent, and the
    // reverse maps (which Services select a workload…) are built once, on first use, by Lazy.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<YMap, CompiledSelector> _compiled = new();
    private readonly Dictionary<(string Key, string Value), List<Workload>> _byLabel = [];
    private readonly Dictionary<(string Kind, string Name, string Namespace), Workload> _byName = [];
    private readonly Dictionary<string, List<LintObject>> _esByTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<LintObject>>> _byKindAndName = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<Workload, List<LintObject>>> _servicesOf;
    private readonly Lazy<Dictionary<Workload, List<LintObject>>> _hpasOf;
    private readonly Lazy<Dictionary<Workload, List<LintObject>>> _pdbsOf;
    private readonly Lazy<Dictionary<Workload, List<LintObject>>> _policiesOf;

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
        foreach (var w in workloads)
        {
            _byName.TryAdd((w.Object.Kind, w.Object.Name, w.Object.Namespace), w);
            foreach (var pair in w.TemplateLabels)
            {
                if (!_byLabel.TryGetValue((pair.Key, pair.Value), out var list))
                {
                    _byLabel[(pair.Key, pair.Value)] = list = [];
                }

                list.Add(w);
            }
        }

        foreach (var o in objects)
        {
            if (!_byKindAndName.TryGetValue(o.Kind, out var byName))
            {
                _byKindAndName[o.Kind] = byName = new(StringComparer.Ordinal);
            }

            if (!byName.TryGetValue(o.Name, out var named))
            {
                byName[o.Name] = named = [];
            }

            named.Add(o);
            if (o.Is("ExternalSecret"))
            {
                var target = ExternalSecretTarget(o);
                if (!_esByTarget.TryGetValue(target, out var producers))
                {
                    _esByTarget[target] = producers = [];
                }

                producers.Add(o);
            }
        }

        _servicesOf = new(() => Reverse("Service", SelectedByService));
        _hpasOf = new(() => Reverse("HorizontalPodAutoscaler", h => TargetOf(h) is { } t ? [t] : []));
        _pdbsOf = new(() => Reverse("PodDisruptionBudget", p => Selected(p, p.Spec?.Map("selector"))));
        _policiesOf = new(() => Reverse("NetworkPolicy", p => Selected(p, p.Spec?.Map("podSelector"))));
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

        var compiled = _compiled.GetOrAdd(selector, _ => new CompiledSelector([.. service.Spec!.StringMap("selector")], []));
        return Select(service, compiled);
    }

    /// <summary>The Services that select <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> ServicesOf(Workload workload) => Lookup(_servicesOf, workload);

    /// <summary>The HorizontalPodAutoscalers whose scaleTargetRef names <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> HpasOf(Workload workload) => Lookup(_hpasOf, workload);

    /// <summary>The workload an HPA targets, if it is in the bundle.</summary>
    public Workload? TargetOf(LintObject hpa)
    {
        if (hpa.Spec?.Map("scaleTargetRef") is not { } r)
        {
            return null;
        }

        var key = (r.Str("kind") ?? "", r.Str("name") ?? "", hpa.Namespace);
        return _byName.GetValueOrDefault(key)
            ?? Workloads.FirstOrDefault(w => w.Object.SameNamespace(hpa) && w.Object.Kind == key.Item1 && w.Object.Name == key.Item2);
    }

    /// <summary>The PodDisruptionBudgets that select <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> PdbsOf(Workload workload) => Lookup(_pdbsOf, workload);

    /// <summary>The NetworkPolicies whose podSelector selects <paramref name="workload"/>.</summary>
    public IReadOnlyList<LintObject> PoliciesOf(Workload workload) => Lookup(_policiesOf, workload);

    private static List<LintObject> Lookup(Lazy<Dictionary<Workload, List<LintObject>>> map, Workload workload) =>
        map.Value.TryGetValue(workload, out var found) ? found : [];

    private Dictionary<Workload, List<LintObject>> Reverse(string kind, Func<LintObject, IReadOnlyList<Workload>> selects)
    {
        var map = new Dictionary<Workload, List<LintObject>>();
        foreach (var o in OfKind(kind))
        {
            foreach (var w in selects(o))
            {
                if (!map.TryGetValue(w, out var list))
                {
                    map[w] = list = [];
                }

                list.Add(o);
            }
        }

        return map;
    }

    private CompiledSelector Compile(YMap selector)
    {
        return _compiled.GetOrAdd(selector, s => new CompiledSelector([.. s.StringMap("matchLabels")], [.. s.Maps("matchExpressions")]));
    }

    private List<Workload> Select(LintObject owner, CompiledSelector selector, bool firstOnly = false)
    {
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
    public IEnumerable<LintObject> ExternalSecretsProducing(LintObject owner, string secretName) =>
        _esByTarget.TryGetValue(secretName, out var found) ? found.Where(e => e.SameNamespace(owner)) : [];

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/> in <paramref name="owner"/>'s namespace.</summary>
    public LintObject? FindNamed(string kind, LintObject owner, string name)
    {
        if (!_byKindAndName.TryGetValue(kind, out var byName))
        {
            return null;
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
