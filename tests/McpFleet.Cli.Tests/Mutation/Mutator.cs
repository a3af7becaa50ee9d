using System.Globalization;
using System.Text;

namespace McpFleet.Cli.Tests.Mutation;

/// <summary>
/// Deterministic edits of YAML (and env) text that make the inputs a user, an editor or an attacker produces: cut,
/// deleted, inserted, duplicated and swapped lines, values of the wrong type, deep nesting, huge counts, anchors and
/// aliases, control characters, bytes that are not UTF-8.
/// </summary>
internal static class Mutator
{
    // Past the readers' depth limit (YamlReader.MaxDepth, 500), which turns deep nesting into a diagnostic (D9).
    private const int MaxNesting = 5000;

    // Edits compound (a 100 000-character value, then its line 3000 times): past a few MB an input tests the disk.
    private const int MaxLength = 4 << 20;

    private static readonly string[] s_lines =
    [
        "- ", "-", ":", "? ", "---", "...", "{", "}", "[", "]", "&a {b: 1}", "*a", "<<: *a", "x: *zz", "x: &a [1, 2]", "!!binary AAAA",
        "x: !!str", "'", "\"", "|", ">-", "#", "%YAML 1.2", "\t", "  \t x: 1", "x: 'unclosed", "x: \"unclosed", "name: ''", "port: 0x2328",
        "port: +9000", "port: 9_000", "version: 2.0", "replicas: \"two\"", "memory: 1GB", "egress: [{host: ''}]", "env: {A: ~}",
        "x: \u001b]0;pwned\u0007\u001b[2J", "services: []", "services: {}", "image: ''", "ports: [\"70000:70000\"]",
        "environment: [A=1, B]", "x: ${VAR", "x: ${VAR:?need it}", "x: $$", "env_file: [missing.env]", "include: [x.yml]",
        "KEY=value", "export A=1", "=x", "A", "B=\"unclosed", "metadata: {name: \"\"}", "kind: List", "items: [1]",
        "apiVersion: kustomize.config.k8s.io/v1beta1", "spec: {template: {spec: {containers: notalist}}}",
    ];

    private static readonly string[] s_values =
    [
        "[]", "{}", "null", "~", "true", "-1", "0", "1e999", ".inf", "0x1F", "\"\"", "''", "[1, 2]", "{a: b}", "*a", "&b x",
        "!!int x", "2.0", "\"9000\"", "-9000", "99999999999999999999", "yes", "on", "'a''b'", "\"\\u0000\"", "\"\\e[31m\"",
        "|\n  block", ">\n  folded", "[", "{", "'", "\"",
    ];

    /// <summary>Applies one to three edits.</summary>
    /// <param name="text">The text.</param>
    /// <param name="random">The seeded source of choices.</param>
    /// <returns>The edited text and a short description of the edits.</returns>
    public static (string Text, string Edits) Mutate(string text, Random random)
    {
        var edits = new List<string>();
        // Half the inputs get one edit, so more of them still reach the renderer and the linters' rules.
        var count = random.Next(2) == 0 ? 1 : random.Next(2, 4);
        for (var i = 0; i < count; i++)
        {
            var (edited, edit) = Once(text, random);
            if (edited.Length <= MaxLength)
            {
                text = edited;
                edits.Add(edit);
            }
        }

        return (text, string.Join(", ", edits));
    }

    /// <summary>Encodes the text, sometimes with bytes that are not UTF-8 put in.</summary>
    /// <param name="text">The text.</param>
    /// <param name="random">The seeded source of choices.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Encode(string text, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        if (random.Next(12) == 0)
        {
            bytes.InsertRange(random.Next(bytes.Count + 1), random.Next(2) == 0 ? [0xFF] : [0xC3, 0x28]);
        }

        return [.. bytes];
    }

    private static (string Text, string Edit) Once(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (random.Next(16))
        {
            case 0:
                var cut = random.Next(text.Length + 1);
                return (text[..cut], $"cut at {cut}");
            case 1:
                lines.RemoveAt(at);
                return (Join(lines), $"delete line {at + 1}");
            case 2:
                var line = Pick(s_lines, random);
                lines.Insert(at, Indent(lines[at]) + line);
                return (Join(lines), $"insert '{line}' at {at + 1}");
            case 3:
                lines.InsertRange(at, Enumerable.Repeat(lines[at], random.Next(1, 4)));
                return (Join(lines), $"duplicate line {at + 1}");
            case 4:
                lines.InsertRange(at, Enumerable.Repeat(lines[at], 3000));
                return (Join(lines), $"line {at + 1} 3000 times");
            case 5:
                return SwapType(lines, at, Pick(s_values, random));
            case 6:
                var depth = random.Next(2) == 0 ? 64 : MaxNesting;
                var nested = random.Next(3) switch
                {
                    0 => new string('[', depth) + "x" + new string(']', depth),
                    1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "x" + new string('}', depth),
                    _ => "\n" + string.Concat(Enumerable.Range(1, depth).Select(d => new string(' ', d) + "- \n")) + new string(' ', depth + 1) + "x",
                };
                var (deep, _) = SwapType(lines, at, nested);
                return (deep, $"nest {depth} levels at line {at + 1}");
            case 7:
                lines[at] = random.Next(2) == 0 ? " " + lines[at] : lines[at].TrimStart(' ');
                return (Join(lines), $"indent line {at + 1}");
            case 8:
                var other = random.Next(lines.Count);
                (lines[at], lines[other]) = (lines[other], lines[at]);
                return (Join(lines), $"swap lines {at + 1} and {other + 1}");
            case 9:
                var pos = random.Next(text.Length + 1);
                var c = Pick([":", "-", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "#", "%", "@", "`", "\t", "\0", "\u001b", "\r", "\u0085", "\uFEFF", "$", "="], random);
                return (text.Insert(pos, c), $"insert U+{(int)c[0]:X4} at {pos}");
            case 10:
                var del = random.Next(Math.Max(1, text.Length));
                return (text.Length == 0 ? text : text.Remove(del, 1), $"delete char {del}");
            case 11:
                return SwapType(lines, at, "\"\\e]0;pwned\\a\\e[2J\\u009b31m\"");
            case 12:
                return SwapType(lines, at, new string('x', 100_000));
            case 13:
                return random.Next(2) == 0 ? ("", "empty") : ("# only a comment\n", "comment only");
            case 14:
                var keys = string.Concat(Enumerable.Range(0, 3000).Select(k => string.Create(CultureInfo.InvariantCulture, $"  k{k:D5}: v{k}\n")));
                lines.Insert(at, Indent(lines[at]) + "many:\n" + keys.TrimEnd('\n'));
                return (Join(lines), $"3000 keys at line {at + 1}");
            default:
                lines.Insert(at, Indent(lines[at]) + "anchored: &m {x: 1, y: [1, 2]}");
                lines.Insert(Math.Min(lines.Count, at + 1 + random.Next(3)), Indent(lines[at]) + Pick(["ref: *m", "<<: *m", "ref: *missing", "<<: [*m, *m]"], random));
                return (Join(lines), $"anchor and alias at line {at + 1}");
        }
    }

    // Replaces the value of a 'key: value' line (or appends one) with another kind of value.
    private static (string Text, string Edit) SwapType(List<string> lines, int at, string value)
    {
        var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
        lines[at] = colon >= 0 ? lines[at][..(colon + 2)] + value : lines[at] + (lines[at].TrimEnd().EndsWith(':') ? " " : ": ") + value;
        return (Join(lines), $"value of line {at + 1} -> {(value.Length > 20 ? value[..20] + "…" : value)}");
    }

    private static string Indent(string line) => new(' ', line.Length - line.TrimStart(' ').Length);

    private static string Join(List<string> lines) => string.Join('\n', lines);

    private static string Pick(string[] items, Random random) => items[random.Next(items.Length)];
}
