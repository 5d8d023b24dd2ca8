namespace Switchyard.Core.Events;

/// <summary>
/// Delivery latencies in power-of-two microsecond buckets (1 µs to ~35 min), counted without locks, for quantiles
/// in the JSON stats; an estimate names the upper edge of the bucket the quantile falls in.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Buckets = 32;
    private readonly long[] _counts = new long[Buckets];
    private long _maxMicros;

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(1, (long)latency.TotalMicroseconds);
        var bucket = Math.Min(Buckets - 1, 64 - long.LeadingZeroCount(micros - 1));
        Interlocked.Increment(ref _counts[bucket]);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, micros, seen) != seen)
        {
        }
    }

    public long Count => Snapshot().Sum();

    public double MaxMs => Interlocked.Read(ref _maxMicros) / 1000.0;

    /// <summary>The latency under which <paramref name="quantile"/> of the samples fall, in milliseconds; 0 without samples.</summary>
    public double QuantileMs(double quantile)
    {
        var counts = Snapshot();
        var total = counts.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(1L << i, Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMs;
    }

    private long[] Snapshot()
    {
        var counts = new long[Buckets];
        for (var i = 0; i < Buckets; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return counts;
    }
}
