using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class CapabilitiesDropAllRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP034", "caps-drop-all", DiagnosticSeverity.Error,
        "Every container drops ALL capabilities and adds none but NET_BIND_SERVICE.",
        "The default set includes NET_RAW (ARP and DNS spoofing inside the cluster) and CHOWN/SETUID; Pod Security Restricted requires dropping ALL.",
        "Add `securityContext: {capabilities: {drop: [ALL]}}`.",
        null,
        "PSS Restricted, KL drop-net-raw-capability, PO insecureCapabilities/dangerousCapabilities, CK CKV_K8S_25/28/37/39, TV KSV-0003/0106");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                var caps = c.SecurityContext?.Map("capabilities");
                if (caps?.Seq("drop")?.Strings.Any(s => string.Equals(s, "ALL", StringComparison.OrdinalIgnoreCase)) != true)
                {
                    findings.Report(w.Object, (YNode?)caps?.KeyNode("drop") ?? c.Node.KeyNode("securityContext") ?? c.Node["name"],
                        $"{c.Describe} does not drop ALL capabilities");
                }

                foreach (var added in caps?.Seq("add")?.Items.OfType<YScalar>() ?? [])
                {
                    if (added.Value is not ("NET_BIND_SERVICE" or "CAP_NET_BIND_SERVICE"))
                    {
                        findings.Report(w.Object, added, $"{c.Describe} adds capability {added.Value}");
                    }
                }
            }
        }
    }
}
