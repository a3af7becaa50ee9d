using McpFleet.Diagnostics;
using McpFleet.Spec.Validation;

namespace McpFleet.Import.Passes;

/// <summary>
/// Checks the merged services before any is mapped: each is a mapping with something to run, dependencies exist and
/// form no cycle, and <c>--include</c>, <c>--exclude</c> and <c>--profile</c> name what the files have.
/// </summary>
internal static class ServiceChecks
{
    /// <summary>Checks the services of <paramref name="merged"/>.</summary>
    /// <param name="merged">The merged Compose files.</param>
    /// <param name="options">The options.</param>
    /// <param name="firstInput">The first Compose file, as displayed, for errors about the whole project.</param>
    /// <param name="errors">Receives MCI004, MCI007–MCI009 and MCI013.</param>
    /// <returns>The services, or <see langword="null"/> when there are none.</returns>
    public static ComposeMap? Check(ComposeMap merged, ComposeImportOptions options, string firstInput, DiagnosticBag errors)
    {
        if (merged.Get("services") is not ComposeMap { Entries.Count: > 0 } services)
        {
            errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(firstInput), "no services to import");
            return null;
        }

        foreach (var (name, node) in services.Entries)
        {
            var at = services.KeyLocation(name);
            if (node is not ComposeMap service)
            {
                errors.Error(ImportCodes.WrongType, at, $"service '{name}' must be a mapping");
                continue;
            }

            if (service.Get("image") is not ComposeScalar { Value.Length: > 0 } && service.Get("build") is null or ComposeScalar { Value: null })
            {
                errors.Error(ImportCodes.NoImage, at, $"service '{name}' has neither `image` nor `build`, so there is nothing to run");
            }

            foreach (var (dependency, value) in service.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries : [])
            {
                if (services.Get(dependency) is null)
                {
                    errors.Error(ImportCodes.Dependency, value.Location, $"service '{name}' depends on undefined service '{dependency}'");
                }
            }
        }

        FindCycles(services, errors);
        var names = services.Entries.Select(e => e.Key).ToList();
        foreach (var (option, service) in options.Include.Select(i => ("--include", i)).Concat(options.Exclude.Select(e => ("--exclude", e))))
        {
            if (services.Get(service) is null)
            {
                errors.Error(ImportCodes.NoServices, SourceLocation.OfFile(firstInput), $"{option} names no service: '{service}'{DidYouMean(service, names)}");
            }
        }

        var profiles = services.Entries.SelectMany(e => ServiceSelection.Profiles(e.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var profile in options.Profiles.Where(p => p != "*" && !profiles.Contains(p)))
        {
            errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--profile"), $"no service has the profile '{profile}'{DidYouMean(profile, profiles)}");
        }

        return services;
    }

    private static string DidYouMean(string value, IEnumerable<string> candidates) =>
        SpecText.Closest(value, candidates) is { } closest ? $"; did you mean '{closest}'?" : "";

    private static void FindCycles(ComposeMap services, DiagnosticBag errors)
    {
        var edges = services.Entries.ToDictionary(
            e => e.Key,
            e => (e.Value as ComposeMap)?.Get("depends_on") is { } d ? ComposeMerger.AsKeyed(d).Entries.Select(x => x.Key).Where(k => services.Get(k) is not null).ToList() : [],
            StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var service in edges.Keys)
        {
            Visit(service);
        }

        void Visit(string service)
        {
            if (done.Contains(service))
            {
                return;
            }

            var index = path.IndexOf(service);
            if (index >= 0)
            {
                var cycle = string.Join(" → ", path.Skip(index).Append(service));
                errors.Error(ImportCodes.Dependency, services.KeyLocation(service), $"depends_on forms a cycle: {cycle}");
                return;
            }

            path.Add(service);
            foreach (var next in edges[service])
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(service);
        }
    }
}
