using k8s;
using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>Turns a <see cref="ResolvedFleet"/> into typed Kubernetes objects, as docs/patterns.md describes.</summary>
/// <remarks>Pure and deterministic: the same fleet always gives equal objects, in the same order.</remarks>
public static class FleetRenderer
{
    /// <summary>The Pod Security Standards level enforced on the namespace.</summary>
    public const string PodSecurityLevel = "restricted";

    /// <summary>Renders every phase and server of <paramref name="fleet"/>.</summary>
    /// <param name="fleet">A resolved fleet.</param>
    /// <returns>The namespace and each server's objects, by phase.</returns>
    public static RenderedFleet Render(ResolvedFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var phases = fleet.Phases
            .Select(p => new RenderedPhase(p.Number, p.Name, p.Servers.Select(s => RenderServer(fleet, s)).ToList()))
            .ToList();
        return new RenderedFleet(fleet, Namespace(fleet), phases)
        {
            Gateway = fleet.Gateway is { } gateway ? RenderGateway(fleet, gateway) : null,
        };
    }

    /// <summary>Renders the gateway's objects, in the same file order as a server's.</summary>
    /// <param name="fleet">The fleet.</param>
    /// <param name="gateway">Its gateway.</param>
    /// <returns>The gateway's objects, named <c>mcp-gateway</c>.</returns>
    public static RenderedServer RenderGateway(ResolvedFleet fleet, ResolvedGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(gateway);
        return Render(ServerContext.ForGateway(fleet, gateway));
    }

    /// <summary>Renders one server's objects, in file order.</summary>
    /// <param name="fleet">The fleet the server belongs to.</param>
    /// <param name="server">The server.</param>
    /// <returns>The rendered server.</returns>
    public static RenderedServer RenderServer(ResolvedFleet fleet, ResolvedServer server)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(server);
        return Render(new ServerContext(fleet, server));
    }

    private static RenderedServer Render(ServerContext c)
    {
        var server = c.Server;
        var objects = new List<IKubernetesObject<V1ObjectMeta>>(8)
        {
            ServiceAccountBuilder.Build(c),
            ConfigMapBuilder.Build(c),
        };
        if (c.HasSecrets)
        {
            objects.Add(ExternalSecretBuilder.Build(c));
        }

        objects.Add(ServiceBuilder.Build(c));
        objects.Add(DeploymentBuilder.Build(c));
        if (server.Autoscaling is { } autoscaling)
        {
            objects.Add(HorizontalPodAutoscalerBuilder.Build(c, autoscaling));
        }

        if (server.MaxReplicas >= 2)
        {
            objects.Add(PodDisruptionBudgetBuilder.Build(c));
        }

        objects.Add(NetworkPolicyBuilder.Build(c));
        return new RenderedServer(server.Name, server.Phase, objects);
    }

    /// <summary>The fleet's namespace, enforcing (and auditing and warning on) Pod Security Standards <c>restricted</c>.</summary>
    /// <param name="fleet">The fleet.</param>
    /// <returns>The namespace object.</returns>
    public static V1Namespace Namespace(ResolvedFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = V1Namespace.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = fleet.Namespace,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [WellKnown.PartOfLabel] = fleet.Name,
                    [WellKnown.ManagedByLabel] = RuntimeContract.Labels.ManagedByValue,
                    ["pod-security.kubernetes.io/enforce"] = PodSecurityLevel,
                    ["pod-security.kubernetes.io/enforce-version"] = "latest",
                    ["pod-security.kubernetes.io/audit"] = PodSecurityLevel,
                    ["pod-security.kubernetes.io/warn"] = PodSecurityLevel,
                },
            },
        };
    }
}
