namespace Switchyard.Bench.Workloads;

/// <summary>The five workloads by the names the peers' results use, in the order a round runs them.</summary>
public static class WorkloadNames
{
    public const string W1 = "W1";
    public const string W1Bulk = "W1-bulk";
    public const string W2 = "W2";
    public const string W3 = "W3";
    public const string W4 = "W4";

    public static IReadOnlyList<string> All { get; } = [W1, W1Bulk, W2, W3, W4];

    /// <summary>Whether the workload needs a worker (W1 and W1-bulk run without one).</summary>
    public static bool NeedsWorker(string name) => name is W2 or W3 or W4;

    /// <summary>
    /// Parses a comma list (<c>W1,w2,W1-bulk</c>, any case) into known names in round order, without repeats;
    /// throws <see cref="ArgumentException"/> naming what is not a workload.
    /// </summary>
    public static IReadOnlyList<string> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var asked = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = asked.Where(a => !All.Contains(a, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"not a workload: {string.Join(", ", unknown)} (there are {string.Join(", ", All)})", nameof(list));
        }

        if (asked.Length == 0)
        {
            throw new ArgumentException($"name at least one workload of {string.Join(", ", All)}", nameof(list));
        }

        return All.Where(w => asked.Contains(w, StringComparer.OrdinalIgnoreCase)).ToArray();
    }
}
