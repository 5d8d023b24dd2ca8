using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// Summaries over repeated runs, read from runs as JSON so that the peers' result files and ours go through the same
/// code: per headline metric of a workload, the median and [min–max] over the runs that did not fail.
/// </summary>
public static class RunSummary
{
    /// <summary>The headline metrics of each workload, as dotted paths into a run.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Metrics { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [WorkloadNames.W1] = ["rate"],
        [WorkloadNames.W1Bulk] = ["rate"],
        [WorkloadNames.W2] = ["rate"],
        [WorkloadNames.W3] = ["latency_ms.p50", "latency_ms.p95", "latency_ms.p99", "latency_ms.max", "achieved_rate"],
        [WorkloadNames.W4] = ["rate", "latency_ms.p50", "latency_ms.p99"],
    };

    /// <summary><c>{ok_runs, failed_runs, "&lt;metric&gt;": {median, min, max}, ...}</c> for <paramref name="workload"/>.</summary>
    public static JsonObject Summarize(string workload, IReadOnlyList<JsonNode?> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ok = runs.Where(Succeeded).ToArray();
        var summary = new JsonObject { ["ok_runs"] = ok.Length, ["failed_runs"] = runs.Count - ok.Length };
        foreach (var metric in Metrics.GetValueOrDefault(workload) ?? [])
        {
            if (SpreadOf(ok, metric) is { } spread)
            {
                summary[metric] = JsonSerializer.SerializeToNode(spread, ResultJsonContext.Default.Spread);
            }
        }

        return summary;
    }

    /// <summary>Median and [min–max] of <paramref name="metric"/> over the runs that did not fail; null when none has it.</summary>
    public static Spread? SpreadOf(IEnumerable<JsonNode?> runs, string metric) =>
        Statistics.SpreadOf(runs.Where(Succeeded).Select(r => Get(r, metric)).OfType<double>());

    /// <summary>The number at dotted <paramref name="path"/> of <paramref name="node"/>, or null when there is none.</summary>
    public static double? Get(JsonNode? node, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var key in path.Split('.'))
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
    }

    public static bool Succeeded(JsonNode? run) => run is JsonObject o && !o.ContainsKey("error");

    /// <summary>Our runs as JSON, for <see cref="Summarize"/>.</summary>
    public static IReadOnlyList<JsonNode?> ToJson(IEnumerable<WorkloadRun> runs) =>
        runs.Select(r => JsonSerializer.SerializeToNode(r, ResultJsonContext.Default.WorkloadRun)).ToArray();
}
