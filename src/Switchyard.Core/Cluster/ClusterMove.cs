using Switchyard.Core.Storage;

namespace Switchyard.Core.Cluster;

/// <summary>
/// A move as the cluster reports it. <see cref="Move"/>'s task carries what an event tells (not the payload, and the
/// creation time only as the move's time); <see cref="FromThisNode"/> when this node applied it (its moved handlers and
/// waiters ran then). <see cref="Expired"/>: not a move but the task's deletion by the retention cleaner, with the task
/// as it was.
/// </summary>
public sealed record ClusterMove(AppliedTransition Move, string? Reason, bool FromThisNode)
{
    public bool Expired { get; init; }
}
