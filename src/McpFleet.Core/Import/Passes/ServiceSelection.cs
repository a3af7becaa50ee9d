using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Import.Passes;

/// <summary>
/// Which services become servers: all, except those behind a profile that is not enabled, those named by
/// <c>--exclude</c>, infrastructure and one-shot jobs (unless <c>--include</c> names them).
/// </summary>
internal sealed partial class ServiceSelection
{
    /// <summary>Gets the services that become servers, each with its draft, in file order.</summary>
    public List<(ServerDraft Draft, ComposeMap Service)> Drafts { get; } = [];

    /// <summary>Gets the report of each service left out.</summary>
    public List<ServiceReport> LeftOut { get; } = [];

    /// <summary>Gets why each service left out is, for the rows of the servers that depend on it.</summary>
    public Dictionary<string, string> NotImported { get; } = new(StringComparer.Ordinal);

    /// <summary>Lists the <c>profiles</c> of a service (a list, or one string).</summary>
    /// <param name="service">The service.</param>
    /// <returns>The profile names.</returns>
    public static IEnumerable<string> Profiles(ComposeNode service) => (service as ComposeMap)?.Get("profiles") switch
    {
        ComposeSequence list => list.Items.OfType<ComposeScalar>().Select(i => i.Text),
        ComposeScalar one when one.Text.Length > 0 => [one.Text],
        _ => [],
    };

    /// <summary>Decides which services become servers and makes a draft for each, with a unique DNS-1123 name.</summary>
    /// <param name="services">The checked services.</param>
    /// <param name="options">The options (<c>--include</c>, <c>--exclude</c>, <c>--profile</c>).</param>
    /// <param name="firstInput">The first Compose file, as displayed, for the error when nothing is left.</param>
    /// <param name="errors">Receives MCI008 when no service is left.</param>
    /// <returns>The drafts with their services, and the services left out.</returns>
    public static ServiceSelection Select(ComposeMap services, ComposeImportOptions options, string firstInput, DiagnosticBag errors)
    {
        var selection = new ServiceSelection();
        var drafts = selection.Drafts;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var oneShot = OneShotJobs(services);
        foreach (var (serviceName, node) in services.Entries)
        {
            var service = (ComposeMap)node;
            var at = services.KeyLocation(serviceName);
            var image = service.Text("image") is { Length: > 0 } text ? ImageReference.Parse(text) : null;
            var included = options.Include.Contains(serviceName);
            if (WhyLeftOut(serviceName, service, image, options, oneShot) is { } leftOut)
            {
                selection.NotImported[serviceName] = leftOut.Why;
                selection.LeftOut.Add(new ServiceReport(
                    serviceName,
                    null,
                    leftOut.Summary,
                    at,
                    [
                        .. leftOut.Attention ? [new ReportEntry("(service)", FieldOutcome.Dropped, leftOut.Why, at, true)] : Array.Empty<ReportEntry>(),
                        .. leftOut.ListFields ? service.Entries.Select(e => new ReportEntry(e.Key, FieldOutcome.Dropped, "the service is not imported", service.KeyLocation(e.Key))) : [],
                    ]));
                continue;
            }

            var name = ComposeImporter.SanitizeName(serviceName);
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{ComposeImporter.SanitizeName(serviceName)}-{n}";
            }

            var draft = new ServerDraft(serviceName, name, at) { Included = included };
            if (name != serviceName)
            {
                draft.Report("name", FieldOutcome.Changed, $"`{serviceName}` → `{name}`: a DNS-1123 label; objects are named mcp-{name}", at);
            }

            drafts.Add((draft, service));
        }

        if (drafts.Count == 0)
        {
            errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(firstInput), "no service is left to import (every service is infrastructure, a one-shot job, excluded, or behind a profile that is not enabled); pass --include, --profile or fewer --exclude");
        }

        return selection;
    }

    /// <summary>Why a service is not imported, or <see langword="null"/> when it is.</summary>
    private static (string Summary, string Why, bool ListFields, bool Attention)? WhyLeftOut(string serviceName, ComposeMap service, ImageReference? image, ComposeImportOptions options, HashSet<string> oneShot)
    {
        var included = options.Include.Contains(serviceName);
        if (options.Exclude.Contains(serviceName))
        {
            return ("Left out with `--exclude`", "left out with --exclude", false, false);
        }

        var profiles = Profiles(service).ToList();
        if (profiles.Count > 0 && !included && !options.Profiles.Contains("*") && !profiles.Exists(options.Profiles.Contains))
        {
            var list = string.Join(", ", profiles.Select(p => $"`{p}`"));
            return ($"Not enabled: its profiles ({list}) are not active, as in `docker compose up`; pass `--profile {profiles[0]}` to import it", $"behind the profile {profiles[0]}, which is not enabled (--profile)", false, false);
        }

        if (included)
        {
            return null;
        }

        if (ComposeImporter.IsInfrastructure(image, serviceName))
        {
            var what = image is null ? $"service `{serviceName}`" : $"`{image.ShortName}` image";
            return ($"Not an MCP server ({what}): left out. Run it as a managed service or with its own chart, or pass `--include {serviceName}` to import it as a server", "not an MCP server", true, false);
        }

        if (oneShot.Contains(serviceName))
        {
            return ($"A one-shot job, not an MCP server: left out. Run it as a Kubernetes Job (or an init container of the servers that need it) before the servers start, or pass `--include {serviceName}`", "a one-shot job: run it as a Kubernetes Job before the servers start", true, true);
        }

        return null;
    }

    /// <summary>
    /// The services that run once and exit: another service waits for them with
    /// <c>service_completed_successfully</c>, or they do not restart and their name, image or command says migration,
    /// seed or setup.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>Their names.</returns>
    public static HashSet<string> OneShotJobs(ComposeMap services)
    {
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, node) in services.Entries)
        {
            foreach (var (dependency, value) in (node as ComposeMap)?.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries : [])
            {
                if ((value as ComposeMap)?.Text("condition") == "service_completed_successfully")
                {
                    jobs.Add(dependency);
                }
            }
        }

        foreach (var (name, node) in services.Entries)
        {
            if (node is not ComposeMap service)
            {
                continue;
            }

            var restart = service.Text("restart") ?? ((service.Get("deploy") as ComposeMap)?.Get("restart_policy") as ComposeMap)?.Text("condition");
            var words = string.Join(' ', name, service.Text("image") ?? "", ComposeNode.Scalars(service.Get("command") ?? ComposeScalar.Of(service.Location, null)).Select(c => c.Text).FirstOrDefault() ?? "");
            if (restart is "no" or "none" or "on-failure" && OneShotWord().IsMatch(words))
            {
                jobs.Add(name);
            }
        }

        return jobs;
    }

    [GeneratedRegex(@"(?i)\b(?:db-?)?(?:migrat\w*|seed\w*|setup|bootstrap|init-?db|flyway|liquibase|dbmate)\b")]
    private static partial Regex OneShotWord();
}
