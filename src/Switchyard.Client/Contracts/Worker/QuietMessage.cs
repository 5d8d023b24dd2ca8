namespace Switchyard.Client.Contracts.Worker;

/// <summary>Server → worker: no more tasks will be pushed; finish the ones you hold.</summary>
public sealed record QuietMessage : WorkerMessage;
