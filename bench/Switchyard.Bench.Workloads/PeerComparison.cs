using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// Puts Switchyard's results beside the peers': per headline metric, the best peer (highest rate, lowest latency, by
/// median over its runs), Switchyard per durability, and the ratio Switchyard ÷ best peer.
/// </summary>
public static class PeerComparison
{
    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<JsonNode> peers, IReadOnlyList<JsonNode> switchyard)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(switchyard);
        return ResultColumn.Headline.Select(column =>
        {
            var measured = peers.Select(p => (Document: p, Value: column.SpreadIn(p))).Where(p => p.Value is not null).ToArray();
            var best = measured.Length == 0 ? default
                : column.HigherIsBetter ? measured.MaxBy(p => p.Value!.Median) : measured.MinBy(p => p.Value!.Median);
            var cells = switchyard.Select(d =>
            {
                var value = column.SpreadIn(d);
                var ratio = value is not null && best.Value is { Median: > 0 } b ? value.Median / b.Median : (double?)null;
                return new ComparisonCell(d, value, ratio);
            }).ToArray();
            return new ComparisonRow(column, best.Document, best.Value, cells);
        }).ToArray();
    }

    /// <summary>The comparison as a Markdown table, with notes on what the ratio means and on differing workload sizes.</summary>
    public static string Markdown(IReadOnlyList<JsonNode> peers, IReadOnlyList<JsonNode> switchyard)
    {
        var rows = Compare(peers, switchyard);
        var text = new StringBuilder();
        text.Append("| Metric | Best peer | Best peer's durability | Best peer's value |");
        foreach (var d in switchyard)
        {
            text.Append(CultureInfo.InvariantCulture, $" {ResultFiles.Label(d)} | ÷ best peer |");
        }

        text.AppendLine().Append("|---|---|---|---:|").AppendLine(string.Concat(switchyard.Select(_ => "---:|---:|")));
        foreach (var row in rows)
        {
            var peer = row.BestPeer is { } p ? ResultFiles.Label(p) : "–";
            var durability = row.BestPeer is { } q ? ResultFiles.Durability(q) : "–";
            var value = row.BestPeer is { } r ? row.Column.Cell(r) : "–";
            text.Append(CultureInfo.InvariantCulture, $"| {row.Column.Header} | {peer} | {durability} | {value} |");
            foreach (var cell in row.Switchyard)
            {
                text.Append(CultureInfo.InvariantCulture, $" {row.Column.Cell(cell.Document)} | {Ratio(cell.Ratio)} |");
            }

            text.AppendLine();
        }

        text.AppendLine()
            .AppendLine("Medians over the rounds, [min–max] in brackets. Ratio = Switchyard's median ÷ the best peer's median: " +
                        "above 1 is better for jobs/s, below 1 is better for ms.");
        foreach (var note in ConstantsNotes(peers, switchyard))
        {
            text.AppendLine().AppendLine(note);
        }

        return text.ToString();
    }

    /// <summary>A warning for each Switchyard result that ran other workload sizes than the peers.</summary>
    public static IEnumerable<string> ConstantsNotes(IReadOnlyList<JsonNode> peers, IReadOnlyList<JsonNode> switchyard)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(switchyard);
        var reference = peers.Select(p => p["workload_constants"]).FirstOrDefault(c => c is not null);
        if (reference is null)
        {
            yield break;
        }

        foreach (var d in switchyard)
        {
            if (!JsonNode.DeepEquals(d["workload_constants"], reference))
            {
                yield return $"**Not comparable:** {ResultFiles.Label(d)} ran with workload constants {d["workload_constants"]?.ToJsonString()}, " +
                             $"the peers with {reference.ToJsonString()}.";
            }
        }
    }

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";
}
