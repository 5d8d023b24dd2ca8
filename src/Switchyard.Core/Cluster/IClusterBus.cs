using Switchyard.Core.Model;

namespace Switchyard.Core.Cluster;

/// <summary>
/// How this node tells the other nodes that share its store what happened here. A node alone on its store has nobody to
/// tell (<see cref="SingleNodeBus"/>); nodes on PostgreSQL tell each other through LISTEN/NOTIFY. Moves are not sent
/// from here: the shared store announces each one once it is committed, each task's in their order, to every node this one included
/// (see <see cref="ClusterInbox"/>).
/// </summary>
public interface IClusterBus
{
    /// <summary>This node's name in the cluster (logs, <c>/readyz</c>, the notices it sends).</summary>
    string NodeId { get; }

    /// <summary>
    /// True when the events of this node's own moves come back through the cluster, in the order the store committed
    /// them, and are published then; false when the broker publishes them at once.
    /// </summary>
    bool RoundTrip { get; }

    /// <summary>
    /// True when other nodes share this node's store: they publish the same events to their own subscribers, numbered
    /// their own way, so an event number this node never gave out may be another node's.
    /// </summary>
    bool Shared { get; }

    /// <summary>Tells every node, this one included, of a running task's progress report (in the order of the calls).</summary>
    void SendProgress(string taskId, long leaseToken, TaskProgress progress);

    /// <summary>Waits (briefly, at most) until the progress sent so far is out, so that a task's last reports go before its end.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Tells the other nodes that task types or queue settings changed, so that they read them again.</summary>
    void SendControlsChanged();

    /// <summary>Sends <paramref name="command"/> to the node its worker is connected to; returns once it is sent.</summary>
    Task SendWorkerCommandAsync(WorkerCommand command, CancellationToken cancellationToken);
}
