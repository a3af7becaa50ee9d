using McpFleet.Diagnostics;
using McpFleet.Spec;

namespace McpFleet.Linting.Rules;

internal sealed class StdioImageGlibcRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP045", "stdio-image-glibc", DiagnosticSeverity.Error,
        "A container that runs `mcpfleet-proxy stdio` is not from an Alpine (musl) image: no `alpine` in its image name or tag.",
        "mcpfleet-proxy is one Native AOT binary linked against glibc, copied into the server's own image; on musl the kernel finds no glibc loader and the container fails with the cryptic `exec /mcpfleet/mcpfleet-proxy: no such file or directory` (docs/proxy.md, \"Images it runs in\").",
        "Use the image's glibc variant (`node:22-bookworm-slim` for `node:22-alpine`, `python:3.12-slim-bookworm` for `python:3.12-alpine`), or add Alpine's `gcompat`. Check an image with `mcpfleet-proxy check-libc <root>` (exit 0 for glibc).",
        null,
        "new (issue #14; docs/proxy.md)");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers.Where(c => c.ProxyMode == "stdio" && StdioCommands.LooksAlpine(c.Node.Str("image"))))
            {
                findings.Report(w.Object, c.Node["image"],
                    $"{c.Describe} runs mcpfleet-proxy stdio in '{c.Node.Str("image")}', which looks Alpine (musl): the glibc binary cannot start there; use a glibc variant of the image (check with `mcpfleet-proxy check-libc`)");
            }
        }
    }
}
