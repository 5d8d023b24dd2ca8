namespace Switchyard.Bench.Workloads;

/// <summary>
/// Latencies of one run in milliseconds: count, nearest-rank p50, p95, p99 and the max, each rounded to 0.01 ms
/// (null when the run has no values).
/// </summary>
public sealed record LatencySummary(int N, double? P50, double? P95, double? P99, double? Max)
{
    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, At(sorted, 50), At(sorted, 95), At(sorted, 99), sorted.Length == 0 ? null : Round(sorted[^1]));
    }

    private static double? At(double[] sorted, double p) => sorted.Length == 0 ? null : Round(Statistics.Percentile(sorted, p));

    private static double Round(double value) => Statistics.RoundHalfUp(value, 2);
}
