using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Spec;

public sealed class FleetLoaderTests
{
    private static readonly string s_corpus = SpecErrorCorpusTests.Corpus;

    [Fact]
    public void Load_MultiErrorSpec_ReportsEveryProblemInOneRun()
    {
        // Act
        var result = FleetLoader.Load(Path.Combine(s_corpus, "multi-error"));

        // Assert: every file's problems, from parsing to cross-file checks, in file:line order.
        Assert.False(result.Success);
        Assert.Null(result.Spec);
        var codes = result.Diagnostics.Select(d => d.Code).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            SpecCodes.WrongType, SpecCodes.InvalidReplicas, SpecCodes.InvalidQuantity, SpecCodes.InvalidSecretName,
            SpecCodes.GpuAutoscaling, SpecCodes.HpaMinAboveMax, SpecCodes.PortOutOfRange, SpecCodes.InvalidVersion,
            SpecCodes.SelfDependency, SpecCodes.UnknownDependency, SpecCodes.InvalidSessionMode, SpecCodes.ServerInNoPhase,
            SpecCodes.DependencyCycle, SpecCodes.ServerInTwoPhases, SpecCodes.UnknownPhaseServer,
        }, codes);
        Assert.True(result.Diagnostics.Count >= 16);
        Assert.Equal(
            result.Diagnostics.OrderBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column),
            result.Diagnostics);
    }

    // findings D28: 0x2328 was reported as "out of range" and +9000 was accepted silently.
    [Fact]
    public void Load_IntegersInHexOctalOrWithPlus_NameTheSpellingAndTheDecimalForm()
    {
        var result = FleetLoader.Load(Path.Combine(s_corpus, "port-hex-octal-plus"));

        Assert.Null(result.Spec);
        Assert.All(result.Diagnostics, d => Assert.Equal(SpecCodes.WrongType, d.Code));
        Assert.Contains(result.Diagnostics, d => d.Message == "'port' is written in hexadecimal (0x2328); write it in decimal: 9000");
        Assert.Contains(result.Diagnostics, d => d.Message == "'port' is written in octal (0o21451); write it in decimal: 9001");
        Assert.Contains(result.Diagnostics, d => d.Message == "'port' has a leading '+' (+9002); write 9002");
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("out of range: 0x", StringComparison.Ordinal));
    }

    // findings D28: a name with '/' made MCF012 advise renaming the file to 'team/slack.yaml'.
    [Fact]
    public void Load_NameWithSlash_SuggestsAValidNameAndNoImpossibleFile()
    {
        var result = FleetLoader.Load(Path.Combine(s_corpus, "name-with-slash"));

        var slack = result.Diagnostics.Where(d => d.Location.File.EndsWith("slack.yaml", StringComparison.Ordinal)).ToList();
        Assert.Equal([SpecCodes.InvalidName, SpecCodes.FileNameMismatch], slack.Select(d => d.Code));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("team/slack.yaml", StringComparison.Ordinal));
        Assert.Contains("'team-slack.yaml'", slack[1].Message, StringComparison.Ordinal);
        // The file stands in for the unusable name, so the phase that lists 'slack' is not reported as well.
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is SpecCodes.UnknownPhaseServer or SpecCodes.ServerInNoPhase);
    }

    [Fact]
    public void Load_MissingDirectory_ReportsItWithoutThrowing()
    {
        // Act
        var result = FleetLoader.Load(Path.Combine(s_corpus, "no-such-fleet"));

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(SpecCodes.MissingFile, diagnostic.Code);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Fact]
    public void Load_WarningsOnly_StillReturnsTheSpec()
    {
        // Act
        var result = FleetLoader.Load(Path.Combine(s_corpus, "external-secret-v1beta1-warning"));

        // Assert
        Assert.True(result.Success);
        Assert.Equal("external-secrets.io/v1beta1", result.Spec!.ExternalSecretApiVersion);
        Assert.Equal(SpecCodes.DeprecatedExternalSecretApiVersion, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_ValidFleet_RecordsSourcePositionsForLaterChecks()
    {
        // Act
        var spec = FleetLoader.Load(Path.Combine(Golden.RepoRoot(), "examples", "sophia-ai")).Spec!;

        // Assert
        var gong = spec.Servers.Single(s => s.Name == "gong");
        Assert.Equal(new SourceLocation(gong.Source.File, 3, 7), gong.Source.Locate("port"));
        Assert.Equal(11, gong.Source.Locate("resources.limits.memory").Line);
        Assert.Equal(16, gong.Source.Locate("secrets[0].name").Line);
        Assert.Equal(3, spec.Source.Locate("phases[1].servers[2]").Line - spec.Source.Locate("phases[0]").Line);
    }
}
