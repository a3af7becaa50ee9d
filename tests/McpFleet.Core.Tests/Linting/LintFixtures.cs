using McpFleet.Linting;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Linting;

/// <summary>Finds and lints the fixtures under testdata/lint.</summary>
internal static class LintFixtures
{
    public static string Root => Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Core.Tests", "testdata", "lint");

    /// <summary>Lints a file or directory below testdata/lint; findings name paths relative to testdata/lint.</summary>
    public static LintResult Lint(string relativePath, LintOptions? options = null) =>
        new Linter(options).Lint(LintSource.FromPath(Path.Combine(Root, relativePath), relativePath)
            ?? throw new FileNotFoundException(relativePath));

    /// <summary>Lints YAML text.</summary>
    public static LintResult LintText(string yaml, LintOptions? options = null) =>
        new Linter(options).Lint([new LintSource("test.yaml", yaml)]);

    /// <summary>One line per finding: <c>file:line:col severity ID message</c>.</summary>
    public static string Format(LintResult result) =>
        string.Concat(result.Findings.Select(f => f + "\n"));
}
