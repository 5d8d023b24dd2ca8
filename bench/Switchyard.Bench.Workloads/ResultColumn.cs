using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// One column of a result table: a workload's metric over the runs of one result file, shown as the median and the
/// [min–max] spread as the peers' table shows it (jobs/s as whole numbers, milliseconds with 2, 1 or 0 decimals).
/// </summary>
public sealed record ResultColumn(string Header, string Workload, string Metric, bool HigherIsBetter)
{
    public static IReadOnlyList<ResultColumn> Headline { get; } =
    [
        new("W1 jobs/s", WorkloadNames.W1, "rate", true),
        new("W1-bulk jobs/s", WorkloadNames.W1Bulk, "rate", true),
        new("W2 jobs/s", WorkloadNames.W2, "rate", true),
        new("W3 p50 ms", WorkloadNames.W3, "latency_ms.p50", false),
        new("W3 p99 ms", WorkloadNames.W3, "latency_ms.p99", false),
        new("W4 jobs/s", WorkloadNames.W4, "rate", true),
        new("W4 p99 ms", WorkloadNames.W4, "latency_ms.p99", false),
    ];

    public static IReadOnlyList<ResultColumn> Details { get; } =
    [
        new("W3 p95 ms", WorkloadNames.W3, "latency_ms.p95", false),
        new("W3 max ms", WorkloadNames.W3, "latency_ms.max", false),
        new("W3 achieved send rate", WorkloadNames.W3, "achieved_rate", true),
        new("W4 p50 ms", WorkloadNames.W4, "latency_ms.p50", false),
    ];

    private bool IsMilliseconds => Metric.StartsWith("latency_ms.", StringComparison.Ordinal);

    /// <summary>The runs of this column's workload in <paramref name="document"/> (null when it has none).</summary>
    public JsonArray? Runs(JsonNode document) => document["workloads"]?[Workload]?["runs"] as JsonArray;

    /// <summary>Median and [min–max] of this metric in <paramref name="document"/>; null when no run has it.</summary>
    public Spread? SpreadIn(JsonNode document) => Runs(document) is { } runs ? RunSummary.SpreadOf(runs, Metric) : null;

    /// <summary>The table cell: <c>median [min–max]</c>, <c>n/a</c> (unsupported), <c>–</c> (not run), or how many runs failed.</summary>
    public string Cell(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var slot = document["workloads"]?[Workload];
        if (slot is null)
        {
            return "–";
        }

        if (slot["unsupported"] is not null)
        {
            return "n/a";
        }

        var runs = Runs(document) ?? [];
        var failed = runs.Count(r => !RunSummary.Succeeded(r));
        if (SpreadIn(document) is not { } s)
        {
            return failed > 0 ? $"failed ({failed}/{runs.Count})" : "–";
        }

        var spread = runs.Count - failed > 1 ? $" [{Format(s.Min)}–{Format(s.Max)}]" : string.Empty;
        return $"{Format(s.Median)}{spread}{(failed > 0 ? $" ({failed} run(s) failed)" : string.Empty)}";
    }

    /// <summary>A value of this column: whole numbers for rates; milliseconds ≥ 100 whole, ≥ 10 with one decimal, else two.</summary>
    public string Format(double value) => !IsMilliseconds || value >= 100
        ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString(value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
}
