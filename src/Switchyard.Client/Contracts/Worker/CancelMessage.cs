namespace Switchyard.Client.Contracts.Worker;

/// <summary>Server → worker: stop working on this task (it was cancelled); its credit is given back.</summary>
public sealed record CancelMessage(string TaskId, string? Reason = null) : WorkerMessage;
