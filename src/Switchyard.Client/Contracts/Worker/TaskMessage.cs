namespace Switchyard.Client.Contracts.Worker;

/// <summary>Server → worker: a task leased to this worker; <c>task.lease.token</c> must come back with every later frame about it.</summary>
public sealed record TaskMessage(TaskDto Task) : WorkerMessage;
