using k8s;
using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>Every object of a fleet, grouped by phase and server, in the order they are written.</summary>
/// <param name="Fleet">The fleet that was rendered.</param>
/// <param name="Namespace">The namespace, with the Pod Security Standards <c>restricted</c> labels.</param>
/// <param name="Phases">The phases in rollout order.</param>
public sealed record RenderedFleet(ResolvedFleet Fleet, V1Namespace Namespace, IReadOnlyList<RenderedPhase> Phases)
{
    /// <summary>Gets every server, in phase order.</summary>
    public IEnumerable<RenderedServer> Servers => Phases.SelectMany(p => p.Servers);

    /// <summary>Gets the gateway's objects (named <c>mcp-gateway</c>, rolled out after the last phase), or <see langword="null"/>.</summary>
    public RenderedServer? Gateway { get; init; }

    /// <summary>Gets every object: the namespace first, then each server's objects in phase order, then the gateway's.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> AllObjects =>
        Servers.SelectMany(s => s.Objects).Concat(Gateway?.Objects ?? []).Prepend(Namespace);
}

/// <summary>One rendered phase.</summary>
/// <param name="Number">1-based position in the rollout.</param>
/// <param name="Name">The phase name.</param>
/// <param name="Servers">The servers, in the order the phase lists them.</param>
public sealed record RenderedPhase(int Number, string Name, IReadOnlyList<RenderedServer> Servers)
{
    /// <summary>Gets the output directory name, <c>phase-{n}-{name}</c>.</summary>
    public string DirectoryName => $"phase-{Number}-{Name}";
}

/// <summary>The objects of one server, in the order they are written to <c>&lt;server&gt;.yaml</c>.</summary>
/// <param name="Name">The server name.</param>
/// <param name="Phase">The 1-based phase number.</param>
/// <param name="Objects">
/// ServiceAccount, ConfigMap, ExternalSecret (with secrets), Service, Deployment, HorizontalPodAutoscaler (with
/// autoscaling), PodDisruptionBudget (when 2 or more replicas can run), NetworkPolicy.
/// </param>
public sealed record RenderedServer(string Name, int Phase, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    /// <summary>Gets the server's objects of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The object type, e.g. <see cref="V1Deployment"/>.</typeparam>
    /// <returns>The matching objects.</returns>
    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    /// <summary>Gets the server's single object of type <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    /// <typeparam name="T">The object type.</typeparam>
    /// <returns>The object, or <see langword="null"/> when the server has none.</returns>
    public T? Find<T>()
        where T : class => Objects.OfType<T>().SingleOrDefault();
}
