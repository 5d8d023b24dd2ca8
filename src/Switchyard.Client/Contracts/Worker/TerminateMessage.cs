namespace Switchyard.Client.Contracts.Worker;

/// <summary>Server → worker: finish or fail what you hold within <c>graceMs</c>, then close; the server closes after that.</summary>
public sealed record TerminateMessage(long GraceMs) : WorkerMessage;
