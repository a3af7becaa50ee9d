using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using McpFleet.Tests;

namespace McpFleet.Contracts.Tests;

/// <summary>Keeps the constants table of docs/runtime-contract.md in step with <see cref="RuntimeContract"/>.</summary>
public sealed partial class RuntimeContractDocTests
{
    [Fact]
    public void ConstantsTable_MatchesRuntimeContract_RowForRow()
    {
        var expected = Constants(typeof(RuntimeContract), "RuntimeContract").ToDictionary(c => c.Name, c => c.Value);
        var documented = new Dictionary<string, string>();
        var path = Path.Combine(Golden.RepoRoot(), "docs", "runtime-contract.md");
        foreach (var line in File.ReadLines(path))
        {
            var row = Row().Match(line);
            if (row.Success)
            {
                Assert.True(documented.TryAdd(row.Groups["name"].Value, row.Groups["value"].Value), $"{path}: {row.Groups["name"].Value} is listed twice");
            }
        }

        var missing = expected.Keys.Except(documented.Keys).Order().ToList();
        var stale = documented.Keys.Except(expected.Keys).Order().ToList();
        var wrong = expected.Where(e => documented.TryGetValue(e.Key, out var v) && v != e.Value).Select(e => $"{e.Key}: doc `{documented[e.Key]}`, code `{e.Value}`").ToList();
        Assert.True(
            missing.Count == 0 && stale.Count == 0 && wrong.Count == 0,
            $"{path} is out of step with RuntimeContract.\nmissing rows: {string.Join(", ", missing)}\nrows without a constant: {string.Join(", ", stale)}\nwrong values: {string.Join("; ", wrong)}");
    }

    private static IEnumerable<(string Name, string Value)> Constants(Type type, string prefix)
    {
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            yield return ($"{prefix}.{field.Name}", Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)!);
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.Public))
        {
            foreach (var constant in Constants(nested, $"{prefix}.{nested.Name}"))
            {
                yield return constant;
            }
        }
    }

    [GeneratedRegex(@"^\| `(?<name>RuntimeContract\.[A-Za-z.]+)` \| `(?<value>[^`]*)` \|")]
    private static partial Regex Row();
}
