namespace Switchyard.Core.Dispatch;

/// <summary>
/// The push workers connected to the whole cluster, for the surfaces that refuse a request when nobody could run it.
/// This node's workers are read as they are at the moment of the call; other nodes' as last read from the shared store
/// (a node alone on its store has none).
/// </summary>
public interface IWorkerDirectory
{
    /// <summary>True when a push worker is connected to any node, quiet ones included.</summary>
    bool AnyConnected { get; }

    /// <summary>Every push worker connected to any node: this node's first, then the others' as last read.</summary>
    IReadOnlyList<ConnectedWorker> Connected();
}
