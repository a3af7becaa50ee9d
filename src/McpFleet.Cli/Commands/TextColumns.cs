using System.Text;

namespace McpFleet.Cli.Commands;

/// <summary>Aligned columns separated by two spaces, like kubectl: plain text whatever the terminal.</summary>
internal static class TextColumns
{
    /// <summary>Writes the header and the rows; cells are escaped (<see cref="TerminalText"/>), as they come from a cluster or a spec.</summary>
    /// <param name="writer">The output.</param>
    /// <param name="header">The column names.</param>
    /// <param name="rows">The rows, one cell per column.</param>
    public static void Write(TextWriter writer, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = rows.Select(r => r.Select(TerminalText.Escape).ToArray()).Prepend([.. header]).ToList();
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
}
