using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>
/// The containers of <c>mcpfleet-proxy</c> in a server's pod (docs/proxy.md). A stdio server: an init container copies
/// the proxy from its image into an <c>emptyDir</c>, and the server's container runs it with the server as its child.
/// An http server behind the proxy: the proxy as a native sidecar (an init container with <c>restartPolicy: Always</c>)
/// that serves the pod's ports and probes and forwards to the server on localhost.
/// </summary>
/// <remarks>
/// Both run the proxy image's entrypoint (the proxy itself; the image has no shell), so they give only arguments:
/// <c>install &lt;dir&gt;</c> copies the binary, <c>http --upstream …</c> serves.
/// </remarks>
internal static class ProxyContainers
{
    public const string InstallVolumeName = "mcpfleet";

    public static V1Volume InstallVolume() => new() { Name = InstallVolumeName, EmptyDir = new V1EmptyDirVolumeSource() };

    public static List<V1Container>? InitContainers(ServerContext c) => c.Server.Proxy switch
    {
        { Transport: ServerTransport.Stdio } proxy => [Install(proxy)],
        { } proxy => [Sidecar(c, proxy)],
        null => null,
    };

    private static V1Container Install(ResolvedProxy proxy) => new()
    {
        Name = ResolvedProxy.InstallContainerName,
        Image = proxy.Image,
        ImagePullPolicy = "IfNotPresent",
        Args = ["install", ResolvedProxy.InstallDirectory],
        Resources = DeploymentBuilder.Resources(FleetDefaults.ProxyResources, gpu: null),
        SecurityContext = DeploymentBuilder.Hardened(),
        VolumeMounts = [new V1VolumeMount { Name = InstallVolumeName, MountPath = ResolvedProxy.InstallDirectory }],
    };

    private static V1Container Sidecar(ServerContext c, ResolvedProxy proxy)
    {
        // The proxy serves the contract's own paths, whatever the server behind it serves.
        var sidecar = DeploymentBuilder.Serving(
            c,
            ResolvedProxy.SidecarContainerName,
            proxy.Image,
            RuntimeContract.HealthPath,
            RuntimeContract.ReadyPath,
            DeploymentBuilder.Resources(FleetDefaults.ProxyResources, gpu: null),
            DeploymentBuilder.Mounts());
        sidecar.RestartPolicy = "Always";
        sidecar.Args = [.. proxy.Arguments([])];
        return sidecar;
    }
}
