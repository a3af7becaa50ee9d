using System.CommandLine;
using k8s.Exceptions;
using McpFleet.Kubernetes;

namespace McpFleet.Cli.Commands;

/// <summary>What the cluster verbs (<c>deploy</c>, <c>status</c>, <c>smoke</c>) share: the kubeconfig options and connecting (errors: <see cref="ClusterErrors"/>).</summary>
internal static class ClusterConnection
{
    /// <summary>Creates <c>--kubeconfig</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<string?> KubeconfigOption() => new("--kubeconfig")
    {
        Description = "Use this kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account).",
    };

    /// <summary>Creates <c>--context</c>.</summary>
    /// <returns>The option.</returns>
    public static Option<string?> ContextOption() => new("--context") { Description = "Use this kubeconfig context (default: the current one)." };

    /// <summary>Connects with the standard kubeconfig resolution; prints why not and returns null when it cannot.</summary>
    /// <param name="context">Where to report.</param>
    /// <param name="kubeconfig">The <c>--kubeconfig</c> value.</param>
    /// <param name="kubeContext">The <c>--context</c> value.</param>
    /// <returns>The cluster, or <see langword="null"/> (exit 2).</returns>
    public static KubernetesFleetCluster? Connect(CliContext context, string? kubeconfig, string? kubeContext)
    {
        try
        {
            return KubernetesFleetCluster.Connect(kubeconfig is null ? null : context.Resolve(kubeconfig), kubeContext);
        }
        catch (KubeConfigException e)
        {
            context.Fail(e.Message);
            return null;
        }
    }
}
