namespace Switchyard.Core.Cluster;

/// <summary>
/// The leadership of a node alone on its store: it holds every role, for good. <see cref="Held"/> (what <c>/readyz</c>
/// reports) names the jobs such a node runs: not the node sweeper or the table upkeep, which only a cluster has.
/// </summary>
public sealed class SoleLeader : ILeadership
{
    public static SoleLeader Instance { get; } = new();

    public IReadOnlyList<string> Held { get; } =
        LeaderRoles.All.Where(r => r is not (LeaderRoles.NodeSweeper or LeaderRoles.TableUpkeep)).ToArray();

    public Task Changed { get; } = new TaskCompletionSource().Task;

    public bool Holds(string role) => true;
}
