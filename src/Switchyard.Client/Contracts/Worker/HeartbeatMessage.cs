namespace Switchyard.Client.Contracts.Worker;

/// <summary>Worker → server: extend the leases of these running tasks.</summary>
public sealed record HeartbeatMessage(IReadOnlyList<LeaseRef> Tasks) : WorkerMessage;
