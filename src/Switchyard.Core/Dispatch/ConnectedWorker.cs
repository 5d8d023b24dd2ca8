namespace Switchyard.Core.Dispatch;

/// <summary>
/// A push worker connected to some node of the cluster, as <see cref="IWorkerDirectory"/> tells it: where it is, what it
/// takes, since when, and whether it went quiet (takes no more work: told to stop, or on its way out); its name and the
/// version it said in hello, when the node that wrote it kept them (null from nodes of earlier versions).
/// </summary>
public sealed record ConnectedWorker(
    string NodeId,
    string WorkerId,
    string Protocol,
    IReadOnlyList<string> Queues,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Types,
    DateTimeOffset ConnectedAt,
    bool Quiet,
    string? Name = null,
    string? Version = null)
{
    /// <summary>A session of this node as it is now.</summary>
    public static ConnectedWorker Of(string nodeId, WorkerSession session) => new(
        nodeId, session.Spec.WorkerId, session.Spec.Protocol, session.Spec.Queues, session.Spec.Groups, session.Spec.Types,
        session.ConnectedAt, session.IsQuiet || session.IsClosed, session.Spec.Name, session.Spec.Version);
}
