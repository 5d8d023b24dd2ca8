using Switchyard.Core.Cluster;

namespace Switchyard.Core.Dispatch;

/// <summary>
/// The worker directory of a node: its own sessions from the <see cref="PushDispatcher"/>, counted at once (no store
/// read on a request's path), plus the other nodes' workers that a cluster store hands in by <see cref="ReplaceRemote"/>.
/// On a node alone on its store nothing is ever handed in, and the directory is exactly this node's sessions.
/// </summary>
public sealed class WorkerDirectory(PushDispatcher dispatcher, IClusterBus bus) : IWorkerDirectory
{
    private ConnectedWorker[] _remote = [];

    /// <summary>The other nodes' workers as last read.</summary>
    public IReadOnlyList<ConnectedWorker> Remote => Volatile.Read(ref _remote);

    public bool AnyConnected => dispatcher.Count > 0 || Volatile.Read(ref _remote).Length > 0;

    public IReadOnlyList<ConnectedWorker> Connected()
    {
        var remote = Volatile.Read(ref _remote);
        var local = dispatcher.Sessions;
        var all = new List<ConnectedWorker>(local.Count + remote.Length);
        all.AddRange(local.Select(s => ConnectedWorker.Of(bus.NodeId, s)));
        all.AddRange(remote);
        return all;
    }

    /// <summary>The other nodes' workers as just read; this node's own are left out (they are counted from memory).</summary>
    public void ReplaceRemote(IEnumerable<ConnectedWorker> workers) =>
        Volatile.Write(ref _remote, workers.Where(w => w.NodeId != bus.NodeId).ToArray());
}
