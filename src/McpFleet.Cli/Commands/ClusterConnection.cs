using System.CommandLine;
using k8s.Autorest;
using k8s.Exceptions;
using McpFleet.Kubernetes;

namespace McpFleet.Cli.Commands;

/// <summary>What the cluster verbs (<c>deploy</c>, <c>status</c>, <c>smoke</c>) share: the kubeconfig options, connecting, and cluster errors.</summary>
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

    /// <summary>Tells whether an exception is the cluster failing (unreachable, refused, forbidden) rather than a bug.</summary>
    /// <param name="e">The exception.</param>
    /// <returns><see langword="true"/> for an HTTP or API error.</returns>
    public static bool IsClusterError(Exception e) => e is HttpRequestException or HttpOperationException;

    /// <summary>Describes a cluster error in one line: the API server's status and body, or the transport error.</summary>
    /// <param name="e">The exception.</param>
    /// <returns>The description.</returns>
    public static string Describe(Exception e) => e is HttpOperationException h
        ? $"{(int)h.Response.StatusCode} {h.Response.StatusCode}: {h.Response.Content}"
        : e.Message;
}
