namespace Switchyard.Client.Contracts.Worker;

/// <summary>A task and the lease token the worker holds it by.</summary>
public sealed record LeaseRef(string TaskId, long LeaseToken);
