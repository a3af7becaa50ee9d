using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>Where a Deployment's rollout stands.</summary>
/// <param name="Ready">The new generation is observed, every replica is updated, ready and available, and Available=True.</param>
/// <param name="Failed">The rollout cannot finish by itself (Progressing=False, ProgressDeadlineExceeded).</param>
/// <param name="Reason">What it waits for, in words.</param>
public sealed record RolloutState(bool Ready, bool Failed, string Reason);

/// <summary>Decides whether a Deployment's rollout is complete, by the rules <c>kubectl rollout status</c> uses plus Available=True.</summary>
internal static class DeploymentReadiness
{
    /// <summary>Evaluates <paramref name="deployment"/> as the API server last reported it.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <returns>The rollout state.</returns>
    public static RolloutState Evaluate(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var generation = deployment.Metadata?.Generation ?? 0;
        var desired = deployment.Spec?.Replicas ?? 1;
        var status = deployment.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < generation)
        {
            return new(false, false, $"waiting for the controller to observe generation {generation}");
        }

        var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing is { Status: "False", Reason: "ProgressDeadlineExceeded" })
        {
            return new(false, true, $"progress deadline exceeded: {progressing.Message}");
        }

        var updated = status.UpdatedReplicas ?? 0;
        var total = status.Replicas ?? 0;
        var ready = status.ReadyReplicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (updated < desired)
        {
            return new(false, false, $"{updated} of {desired} replicas updated");
        }

        if (total > updated)
        {
            return new(false, false, $"{total - updated} old replicas pending termination");
        }

        if (ready < desired)
        {
            return new(false, false, $"{ready} of {desired} replicas ready");
        }

        if (available < desired)
        {
            return new(false, false, $"{available} of {desired} replicas available");
        }

        var availableCondition = status.Conditions?.FirstOrDefault(c => c.Type == "Available");
        return availableCondition?.Status == "True"
            ? new(true, false, "available")
            : new(false, false, "condition Available is not True");
    }
}
