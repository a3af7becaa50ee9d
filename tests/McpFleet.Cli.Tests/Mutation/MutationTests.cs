using System.Diagnostics;
using McpFleet.Tests;
using Spectre.Console;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Mutation;

/// <summary>
/// Every verb on thousands of inputs derived from the repository's own fleets, Compose files and manifests
/// (<see cref="Mutator"/>), in-process, each run bounded in time: only documented exit codes, never an unhandled
/// exception, and nothing written when the exit code says so (issue 12).
/// </summary>
/// <remarks>
/// Deterministic (one seed), so a failure names its input and reproduces. A run is on its own thread with the 8 MiB
/// stack of a real process's main thread. A failing input is described as seed + file + edits in the message.
/// </remarks>
public sealed class MutationTests() : CliHarness("mcpfleet-mutation-")
{
    private const int FleetCases = 800;
    private const int ComposeCases = 500;
    private const int ManifestCases = 700;
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private static readonly string s_root = Golden.RepoRoot();

    [Fact]
    public void EveryVerb_ThousandsOfMutatedInputs_EndWithADocumentedExitCodeAndNoUnhandledException()
    {
        var random = new Random(20251207);
        var failures = new List<string>();
        var runs = 0;
        var clock = Stopwatch.StartNew();

        // Three cases in four start from a valid fleet, so edits reach resolving, rendering and helm values too.
        var fleets = FleetSeeds();
        var valid = fleets.Where(f => Spec.FleetLoader.Load(f).Success).ToList();
        for (var i = 0; i < FleetCases; i++)
        {
            var seed = i % 4 == 3 ? fleets[i % fleets.Count] : valid[i % valid.Count];
            var dir = Path.Combine(Temp, "case");
            Copy(seed, dir, _ => true);
            var files = Directory.GetFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
            var what = files.Length == 0 ? Rel(seed) : MutateOne(files[random.Next(files.Length)], random, seed, dir);
            runs += 2;
            Check(failures, what, [0, 2], null, "validate", dir);
            switch (i % 4)
            {
                case 0:
                    Check(failures, what, [0, 2], null, "render", dir, "--out", "-");
                    break;
                case 1:
                    Check(failures, what, [0, 2], Path.Combine(Temp, "out"), "render", dir, "--out", Path.Combine(Temp, "out"));
                    break;
                case 2:
                    Check(failures, what, [0, 2], Path.Combine(Temp, "hv"), "helm", "values", dir, "--out", Path.Combine(Temp, "hv"));
                    break;
                default:
                    Check(failures, what, [0, 1, 2], null, "lint", "--fleet", dir);
                    break;
            }

            Clean();
        }

        var composes = ComposeSeeds();
        for (var i = 0; i < ComposeCases; i++)
        {
            var (seed, args) = composes[i % composes.Count];
            var dir = Path.Combine(Temp, "case");
            Copy(seed, dir, f => !f.StartsWith("expected", StringComparison.Ordinal));
            var inputs = Directory.GetFiles(dir).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
            var what = MutateOne(inputs[random.Next(inputs.Length)], random, seed, dir);
            var output = Path.Combine(Temp, "imported");
            string[] report = i % 3 == 0 ? ["--report", Path.Combine(Temp, "report.md")] : [];
            runs++;
            Check(failures, what, [0, 1, 2], output, ["import", "compose", .. args.Select(a => a.StartsWith('-') ? a : Path.Combine(dir, a)), "--out", output, .. report]);
            Clean();
        }

        var manifests = ManifestSeeds();
        string[] formats = ["text", "json", "sarif"];
        for (var i = 0; i < ManifestCases; i++)
        {
            var seed = manifests[i % manifests.Count];
            var file = Path.Combine(Temp, "case.yaml");
            File.Copy(seed, file, overwrite: true);
            var what = MutateOne(file, random, seed, Temp);
            runs++;
            Check(failures, what, [0, 1, 2], null, "lint", file, "--format", formats[i % formats.Length]);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {runs} runs failed ({clock.Elapsed.TotalSeconds:F0} s):\n{string.Join('\n', failures.Take(25))}");
    }

    [Fact]
    public void EveryVerb_HostileInputs_EndWithOneLineAndExitTwoWithoutBlocking()
    {
        // Arrange: a fleet whose values file is a FIFO, one with a dangling link, a Compose file that is /dev/zero.
        var fifo = TestFleets.Write(Path.Combine(Temp, "fifo"), 1, "1.0.0");
        File.Delete(Path.Combine(fifo, "values", "s000.yaml"));
        SpecialFiles.Fifo(Path.Combine(fifo, "values", "s000.yaml"));
        var dangling = TestFleets.Write(Path.Combine(Temp, "dangling"), 1, "1.0.0");
        File.Delete(Path.Combine(dangling, "fleet.yaml"));
        SpecialFiles.DanglingLink(Path.Combine(dangling, "fleet.yaml"));
        var failures = new List<string>();

        // Act and assert
        foreach (var fleet in new[] { fifo, dangling })
        {
            Check(failures, fleet, [2], null, "validate", fleet);
            Check(failures, fleet, [2], Path.Combine(Temp, "out"), "render", fleet, "--out", Path.Combine(Temp, "out"));
            Check(failures, fleet, [2], Path.Combine(Temp, "hv"), "helm", "values", fleet, "--out", Path.Combine(Temp, "hv"));
            Check(failures, fleet, [2], null, "lint", "--fleet", fleet);
        }

        Check(failures, "/dev/zero", [2], Path.Combine(Temp, "imported"), "import", "compose", "/dev/zero", "--out", Path.Combine(Temp, "imported"));
        Check(failures, "/dev/zero", [2], null, "lint", "/dev/zero");
        Check(failures, "fifo", [2], null, "lint", Path.Combine(fifo, "values", "s000.yaml"));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    // Runs one verb in-process on a thread of its own, within the time bound, and records what breaks the rules.
    private void Check(List<string> failures, string what, int[] allowed, string? output, params string[] args)
    {
        using var stdOut = new TestConsole();
        using var stdErr = new TestConsole();
        var exit = -1;
        Exception? crash = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    exit = McpFleetCli.RunAsync(args, Context(stdOut, stdErr, Temp), CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    crash = e;
                }
            },
            maxStackSize: 8 << 20)
        { IsBackground = true };
        thread.Start();
        var problem = !thread.Join(s_bound) ? $"did not end within {s_bound.TotalSeconds} s"
            : crash is not null ? $"threw {crash.GetType().Name}: {crash.Message}"
            : !allowed.Contains(exit) ? $"exit {exit}, expected one of {string.Join('/', allowed)}"
            : stdErr.Output.Contains("internal error", StringComparison.Ordinal) || stdErr.Output.Contains("   at ", StringComparison.Ordinal) ? "an unhandled exception"
            : exit == 2 && output is not null && Directory.Exists(output) ? "exit 2 but the output was written"
            : null;
        if (problem is not null)
        {
            failures.Add($"{string.Join(' ', args.Select(a => a.Replace(Temp, "$TMP", StringComparison.Ordinal)))} [{what}]: {problem}\n    {First(stdErr.Output)}");
        }
    }

    private static string MutateOne(string file, Random random, string seed, string root)
    {
        var (text, edits) = Mutator.Mutate(File.ReadAllText(file), random);
        File.WriteAllBytes(file, Mutator.Encode(text, random));
        return $"{Rel(seed)}/{Path.GetRelativePath(root, file)}: {edits}".Replace("/./", "/", StringComparison.Ordinal);
    }

    // Every fleet of the repository: examples and the fleets of the test data (spec error cases, expected imports, charts).
    private static List<string> FleetSeeds() =>
    [
        .. Directory.GetDirectories(Path.Combine(s_root, "examples")),
        .. Directory.EnumerateFiles(Path.Combine(s_root, "tests"), "fleet.yaml", SearchOption.AllDirectories)
            .Where(f => f.Contains("testdata", StringComparison.Ordinal)).Select(Path.GetDirectoryName).OfType<string>(),
    ];

    // Every case of testdata/compose with its command line (files, --env-file), from case.txt.
    private static List<(string Directory, string[] Args)> ComposeSeeds() =>
    [
        .. Directory.GetDirectories(Path.Combine(s_root, "tests", "McpFleet.Core.Tests", "testdata", "compose")).Order(StringComparer.Ordinal).Select(dir =>
        {
            var settings = File.ReadAllLines(Path.Combine(dir, "case.txt")).Where(l => l.Contains(':', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.Ordinal);
            string[] env = settings.TryGetValue("env-file", out var e) ? ["--env-file", e] : [];
            return (dir, (string[])[.. settings["files"].Split(' ', StringSplitOptions.RemoveEmptyEntries), .. env]);
        }),
    ];

    // Manifests: the lint fixtures, the committed chart values, and this run's render of the example fleet.
    private List<string> ManifestSeeds()
    {
        var rendered = Path.Combine(Temp, "rendered");
        Assert.Equal(0, RunOnceAsync(Temp, "render", Example, "--out", rendered).GetAwaiter().GetResult().ExitCode);
        var seeds = Directory.EnumerateFiles(Path.Combine(s_root, "tests", "McpFleet.Core.Tests", "testdata", "lint"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(s_root, "deploy", "helm", "mcp-servers", "values"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in Directory.EnumerateFiles(rendered, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var copy = Path.Combine(Temp, "seed-" + Path.GetFileName(file));
            File.Copy(file, copy);
            seeds.Add(copy);
        }

        return seeds;
    }

    private static void Copy(string from, string to, Func<string, bool> include)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (include(relative))
            {
                var target = Path.Combine(to, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        Directory.CreateDirectory(to);
    }

    private void Clean()
    {
        foreach (var entry in new[] { "case", "out", "hv", "imported" }.Select(e => Path.Combine(Temp, e)).Where(Directory.Exists))
        {
            Directory.Delete(entry, recursive: true);
        }
    }

    private static string Rel(string path) => Path.GetRelativePath(s_root, path);

    private static string First(string text) => text.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? text.Split('\n')[0];
}
