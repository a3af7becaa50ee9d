using k8s.Models;
using McpFleet.Rendering;

namespace McpFleet.Kubernetes;

/// <summary>Turns the renderer's output into what the deployer consumes.</summary>
public static class FleetPlans
{
    /// <summary>The objects to apply, by phase and server.</summary>
    /// <param name="rendered">The rendered fleet.</param>
    /// <returns>The manifest.</returns>
    public static FleetManifest ToManifest(RenderedFleet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var servers = rendered.Fleet.Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var phases = rendered.Phases.Select(p => new PhaseManifest(
            p.Number, p.Name, p.Servers.Select(s => new ServerManifest(s.Name, servers[s.Name].Spec.Port, s.Objects) { ReadyPath = servers[s.Name].ReadyPath }).ToList())).ToList();
        if (rendered.Gateway is { } gateway && rendered.Fleet.Gateway is { } resolved)
        {
            // The gateway is the rollout's last step, once every server it fronts is Available.
            phases.Add(new PhaseManifest(resolved.Phase, gateway.Name, [new ServerManifest(gateway.Name, resolved.Port, gateway.Objects)
            {
                Fronts = [.. resolved.Upstreams.Select(u => new GatewayRoute(u.Server, u.Prefix, servers[u.Server].ReadyPath))],
            }]));
        }

        return new FleetManifest(rendered.Fleet.Name, rendered.Fleet.Namespace, rendered.Namespace, phases);
    }
}
