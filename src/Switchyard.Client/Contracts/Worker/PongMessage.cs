namespace Switchyard.Client.Contracts.Worker;

/// <summary>Either way: the answer to ping.</summary>
public sealed record PongMessage : WorkerMessage;
