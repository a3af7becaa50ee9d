using McpFleet.Spec;

namespace McpFleet.Import.Passes;

/// <summary>Resources and replicas once a server is mapped: both halves of requests and limits, and a single replica said.</summary>
internal static class ResourceCompletion
{
    /// <summary>Fills the half of requests/limits Compose left out, so the resolved pair is always consistent.</summary>
    /// <param name="server">The server.</param>
    public static void CompleteResources(ServerDraft server)
    {
        var requests = server.Requests;
        var limits = server.Limits;
        if (requests is null && limits is null)
        {
            return;
        }

        var cpuRequest = requests?.Cpu ?? limits?.Cpu;
        var memoryRequest = requests?.Memory ?? limits?.Memory;
        var cpuLimit = limits?.Cpu ?? requests?.Cpu;
        var memoryLimit = limits?.Memory ?? requests?.Memory;
        if ((requests?.Cpu is null && limits?.Cpu is not null) || (requests?.Memory is null && limits?.Memory is not null))
        {
            server.Report("resources.requests", FieldOutcome.Changed, "no reservations for some resources: requests set to the limits (as Kubernetes does)", server.Location);
        }

        if ((limits?.Cpu is null && requests?.Cpu is not null) || (limits?.Memory is null && requests?.Memory is not null))
        {
            server.Report("resources.limits", FieldOutcome.Changed, "no limits for some resources: limits set to the reservations; raise them if the server bursts", server.Location, true);
        }

        server.Requests = new ResourceQuantities(cpuRequest, memoryRequest);
        server.Limits = new ResourceQuantities(cpuLimit, memoryLimit);
    }

    /// <summary>Says so when a server ends up with one replica, which the linter reports as MCP022.</summary>
    /// <param name="server">The server.</param>
    public static void NoteSingleReplica(ServerDraft server)
    {
        var why = server.Replicas == 1 ? "Compose asks for 1" : server.Replicas is null && server.Gpu is not null ? "the default for a GPU server" : null;
        if (why is not null)
        {
            server.Report("replicas", FieldOutcome.Mapped, $"1 replica ({why}): every rollout or node drain takes the server down for a moment (lint MCP022, info); raise `replicas` if it must stay up", server.Location);
        }
    }
}
