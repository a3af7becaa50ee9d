using McpFleet.Diagnostics;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class PssBaselineMiscRule : ILintRule
{
    private static readonly HashSet<string> s_safeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
        "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
    ];

    private static readonly HashSet<string> s_seLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t"];

    public LintRuleInfo Info { get; } = new(
        "MCP038", "pss-baseline-misc", DiagnosticSeverity.Error,
        "Only safe sysctls; procMount Default; SELinux type/user/role and AppArmor within Baseline; no hostProcess; no `host` in probe or lifecycle handlers.",
        "These are the remaining Pod Security Baseline checks; any one of them makes the restricted namespace reject the pod.",
        "Remove the field, or use the values the message names.",
        null,
        "PSS Baseline, KL unsafe-sysctls, unsafe-proc-mount");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            var podSc = w.PodSpec.Map("securityContext");
            foreach (var sysctl in podSc?.Maps("sysctls") ?? [])
            {
                if (sysctl["name"] is YScalar name && !s_safeSysctls.Contains(name.Value))
                {
                    findings.Report(w.Object, name, $"sysctl {name.Value} is not in the safe set");
                }
            }

            CheckContext(w, podSc, "the pod", findings);
            foreach (var c in w.AllContainers)
            {
                CheckContext(w, c.SecurityContext, c.Describe, findings);
                if (c.SecurityContext?["procMount"] is YScalar procMount && procMount.Value != "Default")
                {
                    findings.Report(w.Object, procMount, $"{c.Describe} sets procMount {procMount.Value}");
                }

                foreach (var handler in c.Probes.Concat(c.Node.Map("lifecycle")?.Entries.Select(e => e.Value).OfType<YMap>() ?? []))
                {
                    var host = handler.Map("httpGet")?["host"] ?? handler.Map("tcpSocket")?["host"];
                    if (host is YScalar h)
                    {
                        findings.Report(w.Object, h, $"{c.Describe} probes or hooks another host ({h.Value})");
                    }
                }
            }

            foreach (var (key, value) in w.TemplateAnnotations.Where(a => a.Key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal)))
            {
                if (value != "runtime/default" && !value.StartsWith("localhost/", StringComparison.Ordinal))
                {
                    findings.Report(w.Object, w.TemplateMetadata?.Map("annotations")?[key], $"AppArmor profile {value} is not allowed");
                }
            }
        }
    }

    private static void CheckContext(Workload w, YMap? sc, string where, FindingCollector findings)
    {
        if (sc is null)
        {
            return;
        }

        if (sc.Map("seLinuxOptions") is { } se)
        {
            if (!s_seLinuxTypes.Contains(se.Str("type") ?? ""))
            {
                findings.Report(w.Object, se["type"], $"{where} sets SELinux type {se.Str("type")}");
            }

            foreach (var key in (string[])["user", "role"])
            {
                if (se[key] is YScalar v)
                {
                    findings.Report(w.Object, v, $"{where} sets SELinux {key} {v.Value}");
                }
            }
        }

        if (sc.Map("appArmorProfile")?["type"] is YScalar appArmor && appArmor.Value is not ("RuntimeDefault" or "Localhost"))
        {
            findings.Report(w.Object, appArmor, $"{where} sets AppArmor profile {appArmor.Value}");
        }

        if (sc.Map("windowsOptions")?["hostProcess"] is YScalar hp && hp.AsBool() == true)
        {
            findings.Report(w.Object, hp, $"{where} is a Windows hostProcess");
        }
    }
}
