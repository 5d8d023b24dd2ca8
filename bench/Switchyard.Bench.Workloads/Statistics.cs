namespace Switchyard.Bench.Workloads;

/// <summary>The statistics the peers' harness uses, computed the same way so the numbers line up.</summary>
public static class Statistics
{
    /// <summary>
    /// Nearest-rank percentile of ascending <paramref name="sorted"/>: the value at rank ⌈p/100 · n⌉ (1-based, clamped
    /// to the array); NaN for no values.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var k = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, k))];
    }

    /// <summary>Median of <paramref name="values"/>: the middle one, or the mean of the two middle ones for an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("the median of no values", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Median, min and max of the finite values among <paramref name="values"/>; null when there are none.</summary>
    public static Spread? SpreadOf(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? null : new Spread(Median(finite), finite.Min(), finite.Max());
    }

    /// <summary>Rounds half up to <paramref name="decimals"/> places, as JavaScript's <c>Math.round(x * 10^d) / 10^d</c> does.</summary>
    public static double RoundHalfUp(double value, int decimals)
    {
        var scale = Math.Pow(10, decimals);
        return Math.Floor((value * scale) + 0.5) / scale;
    }
}
