namespace Switchyard.Core.Queues;

/// <summary>
/// Whose turn it is in fair claims: per queue, a <see cref="FairShare"/> among its scopes; per scope of a queue with group
/// weights, one among its groups. Lives as long as the store that claims (the SQLite writer; each PostgreSQL node) and is
/// not stored: after a restart every scope and group starts level. Not thread-safe; the owner serialises access.
/// </summary>
public sealed class FairTurns
{
    private readonly Dictionary<string, FairShare> _scopes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Queue, string Scope), FairShare> _groups = [];

    /// <summary>Turns among the scopes of <paramref name="queue"/>.</summary>
    public FairShare Scopes(string queue)
    {
        if (!_scopes.TryGetValue(queue, out var share))
        {
            _scopes[queue] = share = new FairShare();
        }

        return share;
    }

    /// <summary>Turns among the groups of <paramref name="scope"/> in <paramref name="queue"/>.</summary>
    public FairShare Groups(string queue, string scope)
    {
        if (!_groups.TryGetValue((queue, scope), out var share))
        {
            if (_groups.Count >= FairShare.PruneThreshold)
            {
                // A scope that owes its queue nothing (idle, or level with the clock) starts its groups level again.
                foreach (var idle in _groups.Keys.Where(k => !Scopes(k.Queue).IsAhead(k.Scope)).ToArray())
                {
                    _groups.Remove(idle);
                }
            }

            _groups[(queue, scope)] = share = new FairShare();
        }

        return share;
    }
}
