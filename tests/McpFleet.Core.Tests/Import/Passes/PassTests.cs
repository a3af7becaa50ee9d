using McpFleet.Diagnostics;
using McpFleet.Import;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Import.Passes;
using McpFleet.Spec;

namespace McpFleet.Core.Tests.Import.Passes;

/// <summary>The passes of the import on hand-built drafts: no Compose file, no corpus.</summary>
public sealed class PassTests
{
    private static readonly SourceLocation s_at = new("compose.yml", 1, 1);

    [Fact]
    public void Assign_ContainerPorts_KeepsFreeOnesInRangeAndRemapsTheRest()
    {
        // Arrange: a free port in range, the same port again, one outside the range, and none at all.
        var servers = new[] { Draft("a", 9001), Draft("b", 9001), Draft("c", 8080, "--port", "8080"), Draft("d", null) }.ToList();
        var errors = new DiagnosticBag();

        // Act
        PortAssignment.Assign(servers, new PortRange(9000, 9003), errors);

        // Assert
        Assert.Empty(errors.Items);
        Assert.Equal([9001, 9000, 9002, 9003], servers.Select(s => s.Port));
        Assert.Equal(["--port", "9002"], servers[2].Args);
        Assert.True(servers.Skip(1).All(s => s.Entries.Exists(e => e.NeedsAttention)));
    }

    [Fact]
    public void Assign_MoreServersThanPorts_Mci010()
    {
        var servers = new[] { Draft("a", null), Draft("b", null), Draft("c", null) }.ToList();
        var errors = new DiagnosticBag();

        PortAssignment.Assign(servers, new PortRange(9000, 9001), errors);

        Assert.Equal("MCI010", Assert.Single(errors.Items).Code);
    }

    [Fact]
    public void Resolve_DependencyChain_PhasesAreDependencyLevelsAndMissingOnesAreSaid()
    {
        var gateway = Draft("gateway", 9000);
        var docs = Draft("docs", 9001);
        var memory = Draft("memory", 9002);
        gateway.DependsOn.Add(("docs", "service_started", s_at));
        docs.DependsOn.Add(("memory", "service_healthy", s_at));
        docs.DependsOn.Add(("migrate", "service_completed_successfully", s_at));

        DependencyPhases.Resolve([gateway, docs, memory], new Dictionary<string, string> { ["migrate"] = "a one-shot job" });

        Assert.Equal((3, 2, 1), (gateway.Phase, docs.Phase, memory.Phase));
        Assert.Equal(["memory"], docs.Dependencies);
        Assert.Contains(docs.Entries, e => e.Field == "depends_on.migrate" && e.NeedsAttention && e.Detail.Contains("a one-shot job", StringComparison.Ordinal));
    }

    [Fact]
    public void Settle_MostImagesShareAShape_ItBecomesThePatternAndTheOthersExplicit()
    {
        var github = Draft("github", 9000, image: "ghcr.io/acme/mcp-github:v1.4.2");
        var slack = Draft("slack", 9001, image: "ghcr.io/acme/mcp-slack:v2.0.1");
        var odd = Draft("odd", 9002, image: "docker.io/other/thing:latest");

        var pattern = ImageSettlement.Settle([github, slack, odd]);

        Assert.Equal("ghcr.io/acme/mcp-{name}:v{version}", pattern);
        Assert.Equal(("1.4.2", "2.0.1", "0.0.0"), (github.Version, slack.Version, odd.Version));
        Assert.Equal((null, null, "docker.io/other/thing:latest"), (github.ExplicitImage, slack.ExplicitImage, odd.ExplicitImage));
    }

    [Fact]
    public void Hoist_ValueEveryServerSets_MovesToTheFleetEnvOnce()
    {
        var a = Draft("a", 9000);
        var b = Draft("b", 9001);
        a.SetEnv("LOG_LEVEL", "info");
        b.SetEnv("LOG_LEVEL", "info");
        a.SetEnv("ONLY_A", "1");

        var fleetEnv = EnvHoisting.Hoist([a, b]);

        Assert.Equal(new Dictionary<string, string> { ["LOG_LEVEL"] = "info" }, fleetEnv);
        Assert.Equal(["ONLY_A"], a.Env.Select(e => e.Key));
        Assert.Empty(b.Env);
    }

    [Fact]
    public void CompleteResources_OneSideMissing_SetFromTheOtherWithAWarningForLimits()
    {
        var limitsOnly = Draft("a", 9000);
        limitsOnly.Limits = new ResourceQuantities("1", "2Gi");
        var requestsOnly = Draft("b", 9001);
        requestsOnly.Requests = new ResourceQuantities("500m", null);

        ResourceCompletion.CompleteResources(limitsOnly);
        ResourceCompletion.CompleteResources(requestsOnly);

        Assert.Equal(new ResourceQuantities("1", "2Gi"), limitsOnly.Requests);
        Assert.Equal(new ResourceQuantities("500m", null), requestsOnly.Limits);
        Assert.DoesNotContain(limitsOnly.Entries, e => e.NeedsAttention);
        Assert.Contains(requestsOnly.Entries, e => e.Field == "resources.limits" && e.NeedsAttention);
    }

    private static ServerDraft Draft(string name, int? containerPort, string? flag = null, string? value = null, string? image = null)
    {
        var draft = new ServerDraft(name, name, s_at);
        if (containerPort is { } port)
        {
            draft.ContainerPort = (port, s_at, "ports[0]");
        }

        if (flag is not null)
        {
            draft.Args = [flag, value!];
        }

        if (image is not null)
        {
            draft.Image = ImageReference.Parse(image);
        }

        return draft;
    }
}
