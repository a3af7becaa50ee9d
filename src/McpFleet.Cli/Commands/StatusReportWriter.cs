using System.Globalization;
using System.Text;
using System.Text.Json;
using McpFleet.Kubernetes;

namespace McpFleet.Cli.Commands;

/// <summary>The output of <c>status</c>: one table per phase, or JSON.</summary>
internal static class StatusReportWriter
{
    /// <summary>Writes the status as one table per phase, or as JSON, to Out.</summary>
    public static void Write(CliContext context, FleetStatusReport report, bool json)
    {
        var writer = context.Out.Profile.Out.Writer;
        if (json)
        {
            writer.WriteLine(StatusJson(report));
            return;
        }

        foreach (var phase in report.Rows.GroupBy(r => (r.Phase, r.PhaseName)))
        {
            writer.WriteLine(TerminalText.Escape($"PHASE {phase.Key.Phase} {phase.Key.PhaseName}"));
            var rows = phase.Select(r => new[]
            {
                r.Server, r.Version ?? "-", r.Image ?? "-", Num(r.Desired), Num(r.Updated), Num(r.Ready), Num(r.Available),
                r.Hpa is { } h ? $"{h.Current}/{h.Min}/{h.Max}" : "-", Num(r.Restarts), Age(r.Age), r.IsReady ? "ready" : r.State,
            });
            TextColumns.Write(writer, ["SERVER", "VERSION", "IMAGE", "DESIRED", "UP-TO-DATE", "READY", "AVAILABLE", "HPA(CUR/MIN/MAX)", "RESTARTS", "AGE", "STATUS"], rows);
            writer.WriteLine();
        }

        var notReady = report.Rows.Count(r => !r.IsReady);
        context.Say(notReady == 0
            ? $"{report.Rows.Count} servers ready"
            : $"{notReady} of {report.Rows.Count} servers not ready");
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
