namespace Switchyard.Core.Cluster;

/// <summary>
/// Which of the cluster's singleton jobs (<see cref="LeaderRoles"/>) this node runs now. A node alone on its store
/// runs all of them (<see cref="SoleLeader"/>); nodes on PostgreSQL hold one advisory lock per role. Leadership saves
/// doubled work, never correctness: every sweep is a compare-and-set that skips rows another node holds.
/// </summary>
public interface ILeadership
{
    /// <summary>True while this node holds <paramref name="role"/>.</summary>
    bool Holds(string role);

    /// <summary>The roles this node holds now, in <see cref="LeaderRoles.All"/> order.</summary>
    IReadOnlyList<string> Held { get; }

    /// <summary>Completes at the next change of what this node holds (take it before looking, like <see cref="Engine.WorkSignal"/>).</summary>
    Task Changed { get; }
}
