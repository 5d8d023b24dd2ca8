namespace Switchyard.Client.Contracts.Worker;

/// <summary>Server → worker, answer to hello: the worker's id, how often to heartbeat, how long a lease lasts.</summary>
public sealed record WelcomeMessage(string WorkerId, long HeartbeatIntervalMs, long LeaseMs, string ServerVersion) : WorkerMessage;
