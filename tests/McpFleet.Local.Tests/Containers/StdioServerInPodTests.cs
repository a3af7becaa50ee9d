using System.Net;
using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Tests;
using ModelContextProtocol.Client;

namespace McpFleet.Local.Tests.Containers;

/// <summary>
/// A third-party stdio MCP server (npm's <c>@modelcontextprotocol/server-everything</c>, on Node 22, image of
/// <c>eng/stdio-image.sh</c>) in a pod, served on HTTP by <c>mcpfleet-proxy</c>, which an init container of the proxy
/// image copies into the pod (docs/containers.md, "The proxy in a pod").
/// </summary>
[Collection(PodmanTests.Name)]
public sealed class StdioServerInPodTests(ContainerImages images)
{
    private const string ServerScript = "/app/node_modules/@modelcontextprotocol/server-everything/dist/index.js";

    [Fact]
    public async Task StdioNpmServer_ThroughTheProxyCopiedByAnInitContainer_ReadyAndListsTheServersTools()
    {
        var ct = TestContext.Current.CancellationToken;
        var built = await ExternalTools.RunAsync("bash", ["eng/stdio-image.sh", images.Registry], timeout: TimeSpan.FromMinutes(5));
        built.EnsureSuccess();
        var everything = built.StandardOutput.Trim();
        var pull = await images.Podman.RunAsync(ct, "pull", "--quiet", "--tls-verify=false", everything);
        Assert.True(pull.Success, pull.Message);

        // The pod exactly as `mcpfleet render` writes it for `transport: stdio`: the proxy image's init container installs
        // the proxy into an emptyDir, the server's container runs it with the server's command as its child.
        RenderedFleet? rendered = null;
        await using var fleet = await RunningFleet.StartAsync(
            images,
            "stdio",
            r => rendered = r,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["everything"] = everything },
            new TestServer("everything", $"transport: stdio\ncommand: [/usr/local/bin/node, {ServerScript}, stdio]\nprobes:\n  startupFailureThreshold: 30"));
        var pod = rendered!.Servers.Single().Find<V1Deployment>()!.Spec.Template.Spec;
        Assert.Equal(images.References["proxy"], Assert.Single(pod.InitContainers).Image);
        Assert.True(fleet.Start.Success, fleet.Start.Error + "\n" + string.Join("\n", fleet.Progress.Lines));

        // The server container runs the copy the init container installed (Podman removes a finished init container);
        // the everything image has no proxy of its own.
        var command = await images.Podman.RunAsync(ct, "inspect", fleet.Server("everything").ContainerName, "--format", "{{.Path}} {{.Config.User}}");
        Assert.Equal("/mcpfleet/mcpfleet-proxy 65532:65532", command.StandardOutput.Trim());

        using var http = new HttpClient();
        using var ready = await http.GetAsync(new Uri(fleet.McpUrl("everything"), RuntimeContract.ReadyPath), ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await using var proxied = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = fleet.McpUrl("everything") }), cancellationToken: ct);
        var throughPod = (await proxied.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        // The same server straight over stdio on this machine: the list the pod must give. The direct client offers what
        // the proxy offers its child (sampling, elicitation): server-everything lists tools by them.
        var script = Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "server-everything", "dist", "index.js");
        var options = new McpClientOptions();
#pragma warning disable MCP9005 // sampling is deprecated in 2026-07-28; server-everything still lists tools by it
        options.Handlers.SamplingHandler = static (_, _, _) => throw new NotSupportedException();
        options.Handlers.ElicitationHandler = static (_, _) => throw new NotSupportedException();
#pragma warning restore MCP9005
        await using var direct = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions { Command = ExternalTools.Node, Arguments = [script, "stdio"], Name = "direct" }), options, cancellationToken: ct);
        var straight = (await direct.ListToolsAsync(cancellationToken: ct)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(straight);
        Assert.Equal(straight, throughPod);
    }
}
