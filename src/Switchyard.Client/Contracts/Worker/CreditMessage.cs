namespace Switchyard.Client.Contracts.Worker;

/// <summary>Worker → server: the server may push <c>credits</c> more tasks (on top of the hello's capacity).</summary>
public sealed record CreditMessage(int Credits) : WorkerMessage;
