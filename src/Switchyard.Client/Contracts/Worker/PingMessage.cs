namespace Switchyard.Client.Contracts.Worker;

/// <summary>Either way: are you there? Answered with pong.</summary>
public sealed record PingMessage : WorkerMessage;
