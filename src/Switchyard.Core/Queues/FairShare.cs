namespace Switchyard.Core.Queues;

/// <summary>
/// One level of weighted round robin (stride scheduling with a virtual clock, as in start-time fair queuing).
/// Each key (a scope, a group) has a pass; the eligible key with the lowest pass is served next and its pass
/// grows by 1/weight, so over time each busy key is served in proportion to its weight. A key that was idle
/// starts at the virtual clock (the pass last served), never behind it: idleness earns no burst, and a flood
/// that arrived first does not keep a newcomer waiting behind it. Not thread-safe; the owner serialises access.
/// </summary>
public sealed class FairShare
{
    /// <summary>Past this many remembered keys, those that carry no debt (pass at or below the clock) are forgotten.</summary>
    public const int PruneThreshold = 4_096;

    private readonly Dictionary<string, double> _pass = new(StringComparer.Ordinal);
    private double _clock;

    /// <summary>Where <paramref name="key"/> stands: lower is served first.</summary>
    public double PassOf(string key) => _pass.TryGetValue(key, out var pass) && pass > _clock ? pass : _clock;

    /// <summary>Whether <paramref name="key"/> was served ahead of the clock (it owes the others turns).</summary>
    public bool IsAhead(string key) => _pass.TryGetValue(key, out var pass) && pass > _clock;

    /// <summary>Records that <paramref name="key"/> was served once.</summary>
    public void Served(string key, int weight)
    {
        var start = PassOf(key);
        _clock = start;
        _pass[key] = start + (1.0 / Math.Max(1, weight));
        if (_pass.Count > PruneThreshold)
        {
            foreach (var idle in _pass.Where(kv => kv.Value <= _clock).Select(kv => kv.Key).ToArray())
            {
                _pass.Remove(idle);
            }
        }
    }

    /// <summary>
    /// Whether a candidate of <paramref name="key"/> whose oldest task is <paramref name="seq"/> goes before the best so far:
    /// the lower pass wins, and on equal passes the older task.
    /// </summary>
    public bool Precedes(string key, long seq, string bestKey, long bestSeq)
    {
        var pass = PassOf(key);
        var bestPass = PassOf(bestKey);
        return pass < bestPass || (pass == bestPass && seq < bestSeq);
    }
}
