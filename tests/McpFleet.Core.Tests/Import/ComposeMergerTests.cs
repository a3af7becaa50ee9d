using McpFleet.Diagnostics;
using McpFleet.Import;

namespace McpFleet.Core.Tests.Import;

public sealed class ComposeMergerTests
{
    private const string Base = """
        services:
          web:
            image: app:v1
            ports: ["9000:9000"]
            environment: [A=1, B=2]
            labels: {team: core}
            volumes: ["data:/data", "logs:/logs"]
            command: ["serve", "--debug"]
            deploy: {replicas: 1, labels: [x=1]}
        """;

    private const string Override = """
        services:
          web:
            image: app:v2
            ports: ["9001:9001", "9000:9000"]
            environment: {B: "3", C: "4"}
            labels: [tier=prod]
            volumes: ["other:/data"]
            command: ["serve"]
            deploy: {replicas: 3, labels: {y: "2"}}
        """;

    [Fact]
    public void MergeFiles_Override_FollowsComposeRules()
    {
        var web = (ComposeMap)((ComposeMap)Merge().Get("services")!).Get("web")!;

        Assert.Equal("app:v2", web.Text("image"));
        Assert.Equal(["9000:9000", "9001:9001"], Texts(web.Get("ports")!));
        Assert.Equal(["A=1", "B=3", "C=4"], Pairs(web.Get("environment")!));
        Assert.Equal(["team=core", "tier=prod"], Pairs(web.Get("labels")!));
        Assert.Equal(["other:/data", "logs:/logs"], Texts(web.Get("volumes")!));
        Assert.Equal(["serve"], Texts(web.Get("command")!));
        var deploy = (ComposeMap)web.Get("deploy")!;
        Assert.Equal("3", deploy.Text("replicas"));
        Assert.Equal(["x=1", "y=2"], Pairs(deploy.Get("labels")!));
    }

    [Fact]
    public void MergeFiles_Override_KeepsEachValueItsOwnFile()
    {
        var web = (ComposeMap)((ComposeMap)Merge().Get("services")!).Get("web")!;

        Assert.Equal("override.yml", web.Get("image")!.Location.File);
        Assert.Equal("base.yml", ComposeMerger.AsKeyed(web.Get("environment")!).Get("A")!.Location.File);
    }

    private static ComposeMap Merge()
    {
        var bag = new DiagnosticBag();
        var interpolator = new Interpolator(new Dictionary<string, string>(), bag);
        var a = (ComposeMap)ComposeYamlReader.Read(Base, "base.yml", interpolator, bag)!;
        var b = (ComposeMap)ComposeYamlReader.Read(Override, "override.yml", interpolator, bag)!;
        Assert.Empty(bag.Items);
        return ComposeMerger.MergeFiles(a, b);
    }

    private static IEnumerable<string> Texts(ComposeNode node) => ((ComposeSequence)node).Items.Select(i => ((ComposeScalar)i).Text);

    private static IEnumerable<string> Pairs(ComposeNode node) =>
        ComposeMerger.AsKeyed(node).Entries.Select(e => e.Key + "=" + ((ComposeScalar)e.Value).Text);
}
