using System.Text;
using k8s.Models;
using McpFleet.Helm;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Yaml;

/// <summary>
/// The quoting rule has one home (<see cref="YamlScalars"/>): the writers quote every string some reader would take for
/// another type, and that is a superset of what McpFleet's own readers type as null, boolean or number.
/// </summary>
public sealed class YamlScalarsTests
{
    /// <summary>The spellings the brief and the findings name, and their YAML 1.1 and 1.2 relatives.</summary>
    public static TheoryData<string> Ambiguous =>
    [
        "0x1F", "0X1F", ".inf", "+.inf", "-.Inf", ".NaN", "~", "yes", "Yes", "ON", "off", "y", "N", "0o17", "0777", "1e3",
        "1E3", "1_000", "12:30", "2025-07-10", "2001-12-14t21:59:43.10-05:00", "null", "NULL", "true", "False", "",
        "<<", "=", "-1", "+1", "1.0", ".5", "-.5", "2.0.0", "0b101",
    ];

    /// <summary>The ambiguous spellings plus strings that are plain YAML syntax (which each writer's emitter quotes).</summary>
    public static TheoryData<string> AmbiguousOrSyntax => [.. Ambiguous.Select(d => (string)d.Data), "-", "- x", "a: b", "#x", ": x", "x #y", "[x]", "*x", "&x", "!x", "|", ">", "'x", "\"x", "%x", "@x", "`x"];

    [Theory]
    [MemberData(nameof(Ambiguous))]
    public void ReadsAsNonString_EveryScalarTheReadersTypeOrAYaml11ReaderWould_IsQuoted(string value)
    {
        Assert.True(YamlScalars.ReadsAsNonString(value), value);
        Assert.NotEqual(YamlScalarStyle.Plain, YamlScalars.Classify(Encoding.UTF8.GetBytes(value)));
    }

    [Theory]
    [InlineData("500m")]
    [InlineData("1Gi")]
    [InlineData("api.github.com")]
    [InlineData("scoobyjava15/mcp-gong:v2.0.0")]
    [InlineData("1h")]
    [InlineData("/health")]
    [InlineData("stateless")]
    public void ReadsAsNonString_OrdinaryStrings_StayPlain(string value)
    {
        Assert.False(YamlScalars.ReadsAsNonString(value));
        Assert.Equal(YamlScalarStyle.Plain, YamlScalars.Classify(Encoding.UTF8.GetBytes(value)));
    }

    // The property that keeps readers and writers in step: nothing the 1.2 typing reads as non-string is written plain.
    [Fact]
    public void ReadsAsNonString_IsASupersetOfTheReadersTyping()
    {
        var random = new Random(12);
        const string Alphabet = "0123456789.+-_:eExXoObBtTzZaAfFnNlLiIsSuU~ ";
        var candidates = Ambiguous.Select(d => (string)d.Data).ToList();
        for (var i = 0; i < 20_000; i++)
        {
            candidates.Add(new string([.. Enumerable.Range(0, random.Next(1, 8)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]).Trim());
        }

        foreach (var value in candidates)
        {
            var typed = YamlScalars.IsCoreNull(value) || YamlScalars.IsCoreBool(value) || YamlScalars.IsCoreNumber(value);
            Assert.True(!typed || YamlScalars.ReadsAsNonString(value), $"'{value}' is typed by the readers but would be written plain");
        }
    }

    [Theory]
    [MemberData(nameof(AmbiguousOrSyntax))]
    public void Renderer_AmbiguousString_ReadsBackAsTheSameString(string value)
    {
        var yaml = ManifestYaml.Serialize(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "x" }, Data = new Dictionary<string, string> { ["k"] = value } });

        var read = (YScalar)((YMap)YamlReader.Read(yaml).Documents[0].Root).Map("data")!.Entries[0].Value;

        Assert.Equal((value, false), (read.Value, read.IsPlain));
    }

    [Theory]
    [MemberData(nameof(AmbiguousOrSyntax))]
    public void HelmValues_AmbiguousString_IsQuoted(string value)
    {
        var fleet = new ResolvedFleet
        {
            Name = "f",
            Namespace = "f",
            Environment = "prod",
            Env = [],
            SecretStore = FleetDefaults.SecretStore,
            ExternalSecretApiVersion = FleetDefaults.ExternalSecretApiVersion,
            Ports = FleetDefaults.Ports,
            MetricsPort = RuntimeContract.DefaultMetricsPort,
            Callers = [KeyValuePair.Create("app", "x")],
            MonitoringNamespace = "monitoring",
            Phases =
            [
                new ResolvedPhase(1, "core", [new ResolvedServer
                {
                    Spec = new ServerSpec { Name = "a", Port = 9000, Version = "1.0.0", Env = new Dictionary<string, string> { ["K"] = value } },
                    Phase = 1,
                    Image = "a:v1.0.0",
                    Replicas = 1,
                    Resources = FleetDefaults.Resources,
                    Dependencies = [],
                }]),
            ],
        };

        var yaml = HelmValues.Generate(fleet)[0].Yaml;

        var read = (YScalar)((YMap)YamlReader.Read(yaml).Documents[0].Root).Map("env")!.Entries[0].Value;
        Assert.Equal((value, false), (read.Value, read.IsPlain));
    }
}
