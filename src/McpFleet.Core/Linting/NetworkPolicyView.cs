using McpFleet.Yaml;

namespace McpFleet.Linting;

/// <summary>Reading NetworkPolicy semantics: which directions a policy isolates, and what a rule admits.</summary>
internal static class NetworkPolicyView
{
    /// <summary>Whether the policy isolates egress (policyTypes lists Egress, or, unset, it has egress rules).</summary>
    public static bool RestrictsEgress(LintObject policy) => Types(policy).Contains("Egress");

    /// <summary>Whether the policy isolates ingress (policyTypes lists Ingress; unset means Ingress).</summary>
    public static bool RestrictsIngress(LintObject policy) => Types(policy).Contains("Ingress");

    public static IReadOnlyList<string> Types(LintObject policy)
    {
        if (policy.Spec?.Seq("policyTypes") is { } explicitTypes)
        {
            return [.. explicitTypes.Strings];
        }

        return policy.Spec?["egress"] is not null ? ["Ingress", "Egress"] : ["Ingress"];
    }

    /// <summary>Whether a rule's <c>ports</c> admit <paramref name="protocol"/> traffic to a port (number and/or name).</summary>
    public static bool AdmitsPort(YMap rule, string protocol, long? number, string? name)
    {
        if (rule.Seq("ports") is not { Items.Count: > 0 } ports)
        {
            return true;
        }

        foreach (var p in ports.Maps)
        {
            if ((p.Str("protocol") ?? "TCP") != protocol)
            {
                continue;
            }

            if (p["port"] is not YScalar port)
            {
                return true;
            }

            var portNumber = port.AsInt();
            if ((portNumber is null && port.Value == name)
                || (portNumber is not null && number is not null
                    && (portNumber == number || (p.Number("endPort") is { } end && portNumber <= number && number <= end))))
            {
                return true;
            }
        }

        return false;
    }
}
