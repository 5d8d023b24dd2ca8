namespace Switchyard.Core.Cluster;

/// <summary>
/// An operator's word for a push worker connected to another node: go quiet (take no more work) or, with
/// <see cref="Terminate"/>, also finish within <see cref="GraceMs"/> and close. The node it is connected to carries it out.
/// </summary>
public sealed record WorkerCommand(string NodeId, string WorkerId, bool Terminate, long GraceMs);
