using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Linting.Rules;

internal sealed class NoRuntimePackageFetchRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP043", "no-runtime-package-fetch", DiagnosticSeverity.Warning,
        "No container fetches its server at start: no `npx -y`/`npx --yes`, `uvx`, `pipx run`, `bunx`, `npm exec` or `pnpm dlx` in its command, also behind `mcpfleet-proxy stdio --`.",
        "A runner that downloads the package when the container starts makes every cold start wait for the registry (and fail when it is down), and runs whatever version the registry serves that day: a supply-chain change that no image digest, review or rollback covers. With a read-only root filesystem and no egress to the registry it does not even start.",
        "Bake the package into the image (`RUN npm install -g <pkg>@<version>`, `RUN uv tool install <pkg>==<version>`, `RUN pipx install …`) and run its executable, e.g. `command: [mcp-server-github]`.",
        null,
        "new (issue #14; docs/proxy.md worked example)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                if (StdioCommands.RuntimeFetch(c.CommandWords) is { } fetch)
                {
                    findings.Report(w.Object, c.Node.KeyNode("command") ?? c.Node.KeyNode("args") ?? c.Node["name"],
                        $"{c.Describe} runs `{fetch}`, which fetches the server from the registry at every start; bake the package into the image");
                }
            }
        }
    }
}
