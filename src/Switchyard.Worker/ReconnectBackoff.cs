namespace Switchyard.Worker;

/// <summary>Delay before reconnect attempt <c>n</c>: <c>min × 2^(n-1)</c>, capped at <c>max</c>, the upper half spread by jitter.</summary>
internal static class ReconnectBackoff
{
    /// <param name="failures">Failed attempts in a row, from 1.</param>
    /// <param name="unitSample">A random number in [0, 1).</param>
    public static TimeSpan Delay(int failures, TimeSpan min, TimeSpan max, double unitSample)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var raw = Math.Min(min.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((raw / 2) + (raw / 2 * Math.Clamp(unitSample, 0, 1)));
    }
}
