using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s.Autorest;
using k8s.Exceptions;
using McpFleet.Kubernetes;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary>What <c>deploy</c>, <c>status</c>, <c>smoke</c> and <c>up</c> share: loading, connecting, durations and the status table.</summary>
internal static class FleetOperations
{
    public static Argument<string> FleetArgument() => new("fleet-dir") { Description = "The fleet directory: fleet.yaml plus values/<server>.yaml." };

    public static Option<string?> KubeconfigOption() => new("--kubeconfig")
    {
        Description = "Use this kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account).",
    };

    public static Option<string?> ContextOption() => new("--context") { Description = "Use this kubeconfig context (default: the current one)." };

    /// <summary>Loads, validates and renders a fleet; prints the diagnostics; null when the spec has errors.</summary>
    public static RenderedFleet? Load(CliContext context, string directory)
    {
        var spec = context.LoadFleet(directory);
        if (spec is null)
        {
            Fail(context, $"{directory} is not a valid fleet.");
            return null;
        }

        return FleetRenderer.Render(FleetResolver.Resolve(spec));
    }

    /// <summary>Connects with the standard kubeconfig resolution; prints why not and returns null when it cannot.</summary>
    public static KubernetesFleetCluster? Connect(CliContext context, string? kubeconfig, string? kubeContext)
    {
        try
        {
            return KubernetesFleetCluster.Connect(kubeconfig is null ? null : context.Resolve(kubeconfig), kubeContext);
        }
        catch (Exception e) when (e is KubeConfigException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            Fail(context, $"cannot read the kubeconfig: {e.Message}");
            return null;
        }
    }

    /// <summary>Tells whether an exception is the cluster failing (unreachable, refused, forbidden) rather than a bug.</summary>
    public static bool IsClusterError(Exception e) => e is HttpRequestException or HttpOperationException;

    public static string Describe(Exception e) => e is HttpOperationException h
        ? $"{(int)h.Response.StatusCode} {h.Response.StatusCode}: {h.Response.Content}"
        : e.Message;

    public static void Fail(CliContext context, string message) => context.Error.Profile.Out.Writer.WriteLine("error: " + message);

    public static void Line(CliContext context, string message) => context.Error.Profile.Out.Writer.WriteLine(message);

    /// <summary>Parses <c>90s</c>, <c>5m</c>, <c>1h30m</c> or a number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds > 0;
        }

        var number = 0;
        var any = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = checked((number * 10) + (c - '0'));
                any = true;
                continue;
            }

            if (!any)
            {
                return false;
            }

            duration += c switch
            {
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => TimeSpan.MinValue,
            };
            if (duration < TimeSpan.Zero)
            {
                return false;
            }

            number = 0;
            any = false;
        }

        return !any && duration > TimeSpan.Zero;
    }

    /// <summary>Age as kubectl prints it: <c>45s</c>, <c>12m</c>, <c>5h</c>, <c>3d</c>.</summary>
    public static string Age(TimeSpan? age) => age switch
    {
        null => "-",
        { TotalSeconds: < 120 } a => $"{(int)a.TotalSeconds}s",
        { TotalMinutes: < 120 } a => $"{(int)a.TotalMinutes}m",
        { TotalHours: < 48 } a => $"{(int)a.TotalHours}h",
        var a => $"{(int)a.Value.TotalDays}d",
    };

    /// <summary>Writes the status as one table per phase, or as JSON, to Out.</summary>
    public static void WriteStatus(CliContext context, FleetStatusReport report, bool json)
    {
        var writer = context.Out.Profile.Out.Writer;
        if (json)
        {
            writer.WriteLine(StatusJson(report));
            return;
        }

        foreach (var phase in report.Rows.GroupBy(r => (r.Phase, r.PhaseName)))
        {
            writer.WriteLine($"PHASE {phase.Key.Phase} {phase.Key.PhaseName}");
            var rows = phase.Select(r => new[]
            {
                r.Server, r.Version ?? "-", r.Image ?? "-", Num(r.Desired), Num(r.Updated), Num(r.Ready), Num(r.Available),
                r.Hpa is { } h ? $"{h.Current}/{h.Min}/{h.Max}" : "-", Num(r.Restarts), Age(r.Age), r.IsReady ? "ready" : r.State,
            });
            WriteColumns(writer, ["SERVER", "VERSION", "IMAGE", "DESIRED", "UP-TO-DATE", "READY", "AVAILABLE", "HPA(CUR/MIN/MAX)", "RESTARTS", "AGE", "STATUS"], rows);
            writer.WriteLine();
        }

        var notReady = report.Rows.Count(r => !r.IsReady);
        context.Error.Profile.Out.Writer.WriteLine(notReady == 0
            ? $"{report.Rows.Count} servers ready"
            : $"{notReady} of {report.Rows.Count} servers not ready");
    }

    /// <summary>Writes aligned columns separated by two spaces, like kubectl: plain text whatever the terminal.</summary>
    public static void WriteColumns(TextWriter writer, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend([.. header]).ToList();
        var widths = Enumerable.Range(0, header.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string StatusJson(FleetStatusReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("namespace", report.Namespace);
            w.WriteBoolean("ready", report.AllReady);
            w.WriteStartArray("phases");
            foreach (var phase in report.Rows.GroupBy(r => (r.Phase, r.PhaseName)))
            {
                w.WriteStartObject();
                w.WriteNumber("number", phase.Key.Phase);
                w.WriteString("name", phase.Key.PhaseName);
                w.WriteStartArray("servers");
                foreach (var r in phase)
                {
                    w.WriteStartObject();
                    w.WriteString("server", r.Server);
                    w.WriteString("version", r.Version);
                    w.WriteString("image", r.Image);
                    w.WriteNumber("desired", r.Desired);
                    w.WriteNumber("updated", r.Updated);
                    w.WriteNumber("ready", r.Ready);
                    w.WriteNumber("available", r.Available);
                    if (r.Hpa is { } h)
                    {
                        w.WriteStartObject("hpa");
                        w.WriteNumber("current", h.Current);
                        w.WriteNumber("min", h.Min);
                        w.WriteNumber("max", h.Max);
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteNull("hpa");
                    }

                    w.WriteNumber("restarts", r.Restarts);
                    if (r.Age is { } age)
                    {
                        w.WriteNumber("ageSeconds", (long)age.TotalSeconds);
                    }
                    else
                    {
                        w.WriteNull("ageSeconds");
                    }

                    w.WriteBoolean("isReady", r.IsReady);
                    w.WriteString("state", r.State);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
