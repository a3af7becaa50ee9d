using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

/// <summary>
/// The schema check narrowed to the fields the other rules read: where a value has the wrong type they would read it as
/// a default (<c>replicas: "two"</c> as 1) or skip it (<c>containers: notalist</c>), and pass a manifest the API server
/// rejects.
/// </summary>
internal sealed class FieldTypesRule : ILintRule
{
    private static readonly HashSet<string> s_replicated = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"];
    private static readonly HashSet<string> s_templated = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"];
    private static readonly string[] s_containerSections = ["initContainers", "containers", "ephemeralContainers"];
    private static readonly string[] s_probes = ["livenessProbe", "readinessProbe", "startupProbe"];

    public LintRuleInfo Info { get; } = new(
        "MCP002", "schema-valid", DiagnosticSeverity.Error,
        "The fields the rules read have the types the API server requires: replicas and HPA bounds are integers; containers, ports and env are lists of mappings; ports are integers in 1..65535; requests and limits are quantities; label and annotation values are strings.",
        "The API server rejects such an object at apply time, while a linter that read `replicas: \"two\"` as the default or skipped `containers: notalist` would pass it. This is a narrowed schema check: every other field, and CRDs, are left to kubeconform.",
        "Write the type the message names: an unquoted integer, a list (`- name: …`), a quantity such as `500m`, `1`, `512Mi` or `1Gi` (`1GB` and `2 Gi` are not quantities), or a quoted string such as `\"true\"` for a label or annotation value.",
        null,
        "KC -strict, KL schema-validation (narrowed)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var obj in context.Objects)
        {
            var check = new Checker(obj, findings);
            check.Metadata();
            if (obj.Root["spec"] is { } specNode && specNode is not YMap)
            {
                check.Wrong(specNode, "spec", "a mapping");
                continue;
            }

            var spec = obj.Spec;
            if (s_replicated.Contains(obj.Kind))
            {
                check.Integer(spec?["replicas"], "spec.replicas", 0, int.MaxValue);
            }

            if (obj.Is("Pod"))
            {
                check.PodSpec(spec, "spec");
            }
            else if (s_templated.Contains(obj.Kind))
            {
                check.Template(spec, "spec");
            }
            else if (obj.Is("CronJob"))
            {
                var jobTemplate = check.Mapping(spec?["jobTemplate"], "spec.jobTemplate");
                check.Template(check.Mapping(jobTemplate?["spec"], "spec.jobTemplate.spec"), "spec.jobTemplate.spec");
            }
            else if (obj.Is("HorizontalPodAutoscaler"))
            {
                check.Integer(spec?["minReplicas"], "spec.minReplicas", 1, int.MaxValue);
                check.Integer(spec?["maxReplicas"], "spec.maxReplicas", 1, int.MaxValue);
            }
            else if (obj.Is("Service"))
            {
                foreach (var (port, path) in check.MappingList(spec?["ports"], "spec.ports"))
                {
                    check.Integer(port["port"], path + ".port", 1, 65535);
                    check.IntOrString(port["targetPort"], path + ".targetPort", 1, 65535);
                }
            }
            else if (obj.Is("PodDisruptionBudget"))
            {
                check.IntOrString(spec?["minAvailable"], "spec.minAvailable", 0, int.MaxValue);
                check.IntOrString(spec?["maxUnavailable"], "spec.maxUnavailable", 0, int.MaxValue);
            }
        }
    }

    /// <summary>Checks one object and reports what is wrong with a path a person can find.</summary>
    private readonly struct Checker(LintObject obj, FindingCollector findings)
    {
        public void Metadata()
        {
            if (obj.Root["metadata"] is { } node and not YMap)
            {
                Wrong(node, "metadata", "a mapping");
                return;
            }

            Strings(obj.Metadata?["labels"], "metadata.labels", labels: true);
            Strings(obj.Metadata?["annotations"], "metadata.annotations", labels: false);
        }

        public void Template(YMap? spec, string path)
        {
            var template = Mapping(spec?["template"], path + ".template");
            if (template is null)
            {
                return;
            }

            if (Mapping(template["metadata"], path + ".template.metadata") is { } metadata)
            {
                Strings(metadata["labels"], path + ".template.metadata.labels", labels: true);
                Strings(metadata["annotations"], path + ".template.metadata.annotations", labels: false);
            }

            PodSpec(Mapping(template["spec"], path + ".template.spec"), path + ".template.spec");
        }

        public void PodSpec(YMap? pod, string path)
        {
            if (pod is null)
            {
                return;
            }

            foreach (var section in s_containerSections)
            {
                var containers = MappingList(pod[section], $"{path}.{section}");
                if (section == "containers" && pod[section] is null or YSeq { Items.Count: 0 })
                {
                    findings.Report(obj, (YNode?)pod.KeyNode(section) ?? pod, $"{path}.containers is {(pod[section] is null ? "missing" : "empty")}; a pod needs at least one container");
                }

                foreach (var (container, containerPath) in containers)
                {
                    Container(container, containerPath);
                }
            }
        }

        private void Container(YMap container, string path)
        {
            foreach (var (port, portPath) in MappingList(container["ports"], path + ".ports"))
            {
                if (port["containerPort"] is null)
                {
                    findings.Report(obj, port, $"{portPath} has no containerPort");
                }

                Integer(port["containerPort"], portPath + ".containerPort", 1, 65535);
            }

            MappingList(container["env"], path + ".env");
            MappingList(container["envFrom"], path + ".envFrom");
            foreach (var probe in s_probes)
            {
                Mapping(container[probe], $"{path}.{probe}");
            }

            var resources = Mapping(container["resources"], path + ".resources");
            foreach (var key in (string[])["requests", "limits"])
            {
                foreach (var (name, value) in Mapping(resources?[key], $"{path}.resources.{key}")?.Entries ?? [])
                {
                    Quantity(value, $"{path}.resources.{key}.{name.Value}");
                }
            }
        }

        public YMap? Mapping(YNode? node, string path)
        {
            if (node is YMap map)
            {
                return map;
            }

            if (node is not null)
            {
                Wrong(node, path, "a mapping");
            }

            return null;
        }

        /// <summary>A list whose items must be mappings; returns those that are, with their paths.</summary>
        public List<(YMap Item, string Path)> MappingList(YNode? node, string path)
        {
            var items = new List<(YMap, string)>();
            if (node is null)
            {
                return items;
            }

            if (node is not YSeq list)
            {
                Wrong(node, path, "a list");
                return items;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                if (list.Items[i] is YMap item)
                {
                    items.Add((item, $"{path}[{i}]"));
                }
                else
                {
                    Wrong(list.Items[i], $"{path}[{i}]", "a mapping");
                }
            }

            return items;
        }

        public void Integer(YNode? node, string path, long min, long max)
        {
            if (node is null)
            {
                return;
            }

            if (node is not YScalar { IsInteger: true } number)
            {
                var hint = node is YScalar { IsPlain: false } quoted && quoted.AsInt() is not null ? "; remove the quotes" : "";
                Wrong(node, path, "an integer", hint);
            }
            else if (number.AsInt() is { } value && (value < min || value > max))
            {
                findings.Report(obj, node, $"{path} is {value}; it must be within {min}..{max}");
            }
        }

        /// <summary>An int-or-string field: an integer in range, or a string (a port name, or a percentage such as 25%).</summary>
        public void IntOrString(YNode? node, string path, long min, long max)
        {
            if (node is YScalar { IsPlain: true, IsNull: false } scalar && !scalar.IsInteger && (scalar.IsNumber || scalar.IsBool))
            {
                Wrong(node, path, "an integer or a string");
            }
            else if (node is YScalar { IsInteger: true })
            {
                Integer(node, path, min, max);
            }
            else if (node is YMap or YSeq)
            {
                Wrong(node, path, "an integer or a string");
            }
        }

        private void Quantity(YNode node, string path)
        {
            if (node is not YScalar { IsNull: false } scalar || scalar.IsBool)
            {
                Wrong(node, path, "a quantity such as 500m, 1 or 1Gi");
                return;
            }

            if (!Spec.Quantity.TryParse(scalar.Value, out _))
            {
                var suggestion = Spec.Quantity.Suggest(scalar.Value);
                findings.Report(obj, node, $"{path} is not a Kubernetes quantity: '{scalar.Value}'" + (suggestion is not null ? $"; did you mean '{suggestion}'?" : "; write e.g. 500m, 1, 512Mi or 1Gi"));
            }
        }

        /// <summary>A mapping of names to strings (labels, annotations). Invalid label text is MCP004's; here only the type.</summary>
        private void Strings(YNode? node, string path, bool labels)
        {
            if (Mapping(node, path) is not { } map)
            {
                return;
            }

            foreach (var (key, value) in map.Entries)
            {
                if (value is YScalar { IsPlain: true } scalar && (scalar.IsBool || scalar.IsNumber))
                {
                    // kubectl sends the JSON boolean or number, and the API server accepts only strings here.
                    findings.Report(obj, value, $"{path}.{key.Value} is {scalar.Describe()}; write it as a string: \"{scalar.Value}\"");
                }
                else if (!labels && value is not YScalar)
                {
                    Wrong(value, $"{path}.{key.Value}", "a string");
                }
            }
        }

        public void Wrong(YNode node, string path, string expected, string hint = "") =>
            findings.Report(obj, node, $"{path} must be {expected}, not {node.Describe()}{hint}");
    }
}
