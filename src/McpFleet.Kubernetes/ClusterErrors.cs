using k8s.Autorest;

namespace McpFleet.Kubernetes;

/// <summary>The one home of how a failed call to the cluster is recognised and told in one line (deploy, status, smoke, prune).</summary>
public static class ClusterErrors
{
    /// <summary>Tells whether an exception is the cluster failing (unreachable, refused, forbidden) rather than a bug.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> for an HTTP transport error or an API server error.</returns>
    public static bool IsClusterError(Exception exception) => exception is HttpRequestException or HttpOperationException;

    /// <summary>
    /// Describes a cluster error in one line: the API server's status and body (its <c>Status</c> message), or the
    /// client's own message when the body is empty, or the transport error.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The description.</returns>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is HttpOperationException { Response: { } response } e
            ? $"{(int)response.StatusCode} {response.StatusCode}: {(string.IsNullOrWhiteSpace(response.Content) ? e.Message : response.Content)}"
            : exception.Message;
    }
}
