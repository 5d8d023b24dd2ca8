namespace Switchyard.Core.Cluster;

/// <summary>Settings of a node among several on one PostgreSQL store; bound from <c>Cluster</c>. A node alone ignores them.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";
    public const int PollMsDefault = 1_000;
    public const int LeadershipMsDefault = 1_000;
    public const int ReconnectMaxMsDefault = 5_000;
    public const int HeartbeatMsDefault = 2_000;
    public const int NodeTimeoutMsDefault = 10_000;
    public const int UpkeepMsDefault = 1_000;

    /// <summary>This node's name; empty = host name, process id and a random suffix. Unique per node.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>
    /// The polling fallback: this often a node looks for what notifications did not bring (moves missed while its
    /// listening connection was down, work, settled tasks someone waits for, changed queue settings and task types).
    /// </summary>
    public int PollMs { get; set; } = PollMsDefault;

    /// <summary>How often a node tries to take the singleton jobs nobody holds, and checks that it still holds its own.</summary>
    public int LeadershipMs { get; set; } = LeadershipMsDefault;

    /// <summary>Longest pause between two attempts to reconnect the listening and leadership connections (backoff from 50 ms).</summary>
    public int ReconnectMaxMs { get; set; } = ReconnectMaxMsDefault;

    /// <summary>How often a node tells the store it is alive (its row in <c>cluster_nodes</c>, stamped with the database's clock).</summary>
    public int HeartbeatMs { get; set; } = HeartbeatMsDefault;

    /// <summary>
    /// A node whose last heartbeat is older than this is taken for dead: the other nodes stop counting its push workers,
    /// and one of them deletes its rows. At least twice <see cref="HeartbeatMs"/>.
    /// </summary>
    public int NodeTimeoutMs { get; set; } = NodeTimeoutMsDefault;

    /// <summary>
    /// How often the node leading <c>table-upkeep</c> moves the queue count deltas the store's triggers append
    /// into the folded counts (the deltas not folded yet are read with them, so this bounds their number, not accuracy),
    /// and checks whether the tasks table's size has drifted from the planner's statistics (then analyzes it).
    /// </summary>
    public int UpkeepMs { get; set; } = UpkeepMsDefault;

    /// <summary>The node id to use: <see cref="NodeId"/>, or one made from the host, the process and a random suffix.</summary>
    public string ResolveNodeId() => NodeId is { Length: > 0 } given
        ? given
        : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PollMs is < 10 or > 600_000)
        {
            problems.Add("Cluster:PollMs must be between 10 and 600000");
        }

        if (LeadershipMs is < 10 or > 600_000)
        {
            problems.Add("Cluster:LeadershipMs must be between 10 and 600000");
        }

        if (ReconnectMaxMs is < 50 or > 600_000)
        {
            problems.Add("Cluster:ReconnectMaxMs must be between 50 and 600000");
        }

        if (HeartbeatMs is < 10 or > 600_000)
        {
            problems.Add("Cluster:HeartbeatMs must be between 10 and 600000");
        }

        if (NodeTimeoutMs < 2L * HeartbeatMs || NodeTimeoutMs > 3_600_000)
        {
            problems.Add("Cluster:NodeTimeoutMs must be at least twice Cluster:HeartbeatMs and at most 3600000");
        }

        if (UpkeepMs is < 10 or > 600_000)
        {
            problems.Add("Cluster:UpkeepMs must be between 10 and 600000");
        }

        if (NodeId.Length > 64 || NodeId.Any(char.IsControl))
        {
            problems.Add("Cluster:NodeId must be at most 64 printable characters");
        }

        return problems;
    }
}
