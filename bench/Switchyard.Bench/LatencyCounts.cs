namespace Switchyard.Bench;

/// <summary>Latencies counted in 10 µs buckets up to 2 s (one reader each; merge to read quantiles).</summary>
internal sealed class LatencyCounts
{
    private const int Buckets = 200_000;
    private readonly int[] _counts = new int[Buckets];

    public long Count { get; private set; }

    public void Record(TimeSpan latency)
    {
        _counts[Math.Clamp((int)(latency.Ticks / 100), 0, Buckets - 1)]++;
        Count++;
    }

    public static (double P50Ms, double P99Ms, double MaxMs) Quantiles(IReadOnlyList<LatencyCounts> all)
    {
        var total = all.Sum(c => c.Count);
        if (total == 0)
        {
            return (0, 0, 0);
        }

        long seen = 0;
        double p50 = -1, p99 = -1, max = 0;
        for (var i = 0; i < Buckets; i++)
        {
            var n = all.Sum(c => (long)c._counts[i]);
            if (n == 0)
            {
                continue;
            }

            seen += n;
            var ms = (i + 1) / 100.0;
            max = ms;
            if (p50 < 0 && seen >= total * 0.5)
            {
                p50 = ms;
            }

            if (p99 < 0 && seen >= total * 0.99)
            {
                p99 = ms;
            }
        }

        return (p50, p99, max);
    }
}
