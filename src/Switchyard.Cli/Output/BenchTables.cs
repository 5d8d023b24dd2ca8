using Switchyard.Bench.Workloads;

namespace Switchyard.Cli.Output;

/// <summary><c>switchyard bench</c>'s tables: per result file, the medians and [min–max] of the peers' headline metrics, then the details.</summary>
internal static class BenchTables
{
    public static void Write(TextWriter writer, IReadOnlyList<ResultDocument> documents)
    {
        var results = documents.Select(ResultFiles.ToJson).ToArray();
        foreach (var columns in new[] { ResultColumn.Headline, ResultColumn.Details })
        {
            var table = Tables.Create(["SETTING", .. columns.Select(c => c.Header.ToUpperInvariant())]);
            foreach (var result in results)
            {
                table.AddRow([ResultFiles.Label(result), .. columns.Select(c => c.Cell(result))]);
            }

            Tables.Write(writer, table);
            writer.WriteLine();
        }

        writer.WriteLine("Median over the rounds, [min–max] in brackets. W3: jobs offered open-loop at a fixed rate; W4: callers until the round trips or the time run out.");
        foreach (var document in documents)
        {
            writer.WriteLine($"{document.Label}: {document.Durability["persistence"]}.");
        }
    }
}
