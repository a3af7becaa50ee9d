using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Yaml;

namespace McpFleet.Core.Tests.Rendering;

public sealed class ManifestYamlTests
{
    [Fact]
    public void Serialize_ConfigMap_WritesTypeMetaFirstAndLiteralBlock()
    {
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "x", Labels = new Dictionary<string, string> { ["a"] = "true", ["b"] = "9464" } },
            Data = new Dictionary<string, string> { ["server-config.json"] = "{\n  \"a\": 1\n}\n", ["empty"] = "" },
        };

        var yaml = ManifestYaml.Serialize(map);

        Assert.Equal(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              labels:
                a: "true"
                b: "9464"
              name: x
            data:
              server-config.json: |
                {
                  "a": 1
                }
              empty: ""

            """,
            yaml);
    }

    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1", "\"1\"")]
    [InlineData("2.0.0", "\"2.0.0\"")]
    [InlineData("0x1F", "\"0x1F\"")]
    [InlineData("1e3", "\"1e3\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("Off", "\"Off\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("~", "\"~\"")]
    [InlineData("", "\"\"")]
    [InlineData("-v", "\"-v\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("a #b", "\"a #b\"")]
    [InlineData("*", "\"*\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("bell\u0007", "\"bell\\x07\"")]
    [InlineData("2025-07-10", "\"2025-07-10\"")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("v2.0.0", "v2.0.0")]
    [InlineData("http://mcp-a.ns.svc.cluster.local:9000/mcp", "http://mcp-a.ns.svc.cluster.local:9000/mcp")]
    [InlineData("sophia.business.gong.api_key", "sophia.business.gong.api_key")]
    [InlineData("héllo wörld", "héllo wörld")]
    public void Serialize_StringValue_QuotesOnlyWhenNeeded(string value, string expected)
    {
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Data = new Dictionary<string, string> { ["k"] = value } };

        var yaml = ManifestYaml.Serialize(map);

        Assert.Equal($"apiVersion: v1\nkind: ConfigMap\ndata:\n  k: {expected}\n", yaml);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("9464")]
    [InlineData("a\nb")]
    [InlineData("a\nb\n\n")]
    [InlineData("\n leading space")]
    [InlineData(" x")]
    [InlineData("x ")]
    [InlineData("line\r\nwindows")]
    [InlineData("{\"json\": [1, 2]}")]
    [InlineData("quote \" and \\ backslash")]
    [InlineData("emoji 🚀 and \u2028 separator")]
    [InlineData("- item")]
    [InlineData("key:")]
    [InlineData("[x]")]
    public void Serialize_AnyString_RoundTripsThroughYamlReader(string value)
    {
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "x" }, Data = new Dictionary<string, string> { ["k"] = value } };

        var back = Assert.IsType<V1ConfigMap>(Assert.Single(ManifestYaml.LoadAll(ManifestYaml.Serialize(map))));

        Assert.Equal(value, back.Data["k"]);
    }

    [Fact]
    public void SerializeAll_TwoObjects_SeparatesDocuments()
    {
        var objects = new object[]
        {
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "a" } },
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "b" }, AutomountServiceAccountToken = false },
        };

        var yaml = ManifestYaml.SerializeAll(objects);

        Assert.Equal(
            "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\nautomountServiceAccountToken: false\n",
            yaml);
        Assert.Equal(2, ManifestYaml.LoadAll(yaml).Count);
    }

    [Fact]
    public void Serialize_NestedSequences_UsesBlockStyleAndEmptyCollectionsInline()
    {
        var pod = new V1PodSpec
        {
            Containers = [new V1Container { Name = "c", Args = ["a", "b"], Env = [] }],
            Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
        };
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec { Spec = pod } },
        };

        var yaml = ManifestYaml.Serialize(deployment);

        Assert.Equal(
            """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              selector: {}
              template:
                spec:
                  containers:
                  - args:
                    - a
                    - b
                    env: []
                    name: c
                  volumes:
                  - emptyDir: {}
                    name: tmp

            """,
            yaml);
        var back = Assert.IsType<V1Deployment>(Assert.Single(ManifestYaml.LoadAll(yaml)));
        Assert.Equal(["a", "b"], back.Spec.Template.Spec.Containers[0].Args);
        Assert.NotNull(back.Spec.Template.Spec.Volumes[0].EmptyDir);
    }

    // The same plain scalar means the same thing to LoadAllAsJson as to the spec and lint readers (YamlScalars).
    [Theory]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("+1", "1")]
    [InlineData("-7", "-7")]
    [InlineData("1e3", "1000")]
    [InlineData("1.", "1")]
    [InlineData(".5", "0.5")]
    [InlineData("TRUE", "true")]
    [InlineData("False", "false")]
    [InlineData("~", "null")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("0777", "777")]
    [InlineData("1_000", "\"1_000\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("12:30", "\"12:30\"")]
    public void LoadAllAsJson_PlainScalar_TypedLikeTheSpecReaders(string plain, string json)
    {
        var node = Assert.Single(ManifestYaml.LoadAllAsJson($"a: {plain}\n"));
        var scalar = (YScalar)((YMap)YamlReader.Read($"a: {plain}\n").Documents[0].Root).Entries[0].Value;

        Assert.Equal(json, node["a"]?.ToJsonString() ?? "null");
        Assert.Equal(scalar.IsNull, node["a"] is null);
        Assert.Equal(scalar.IsBool, node["a"]?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False);
    }
}
