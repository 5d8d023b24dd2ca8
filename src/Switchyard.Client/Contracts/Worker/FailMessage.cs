namespace Switchyard.Client.Contracts.Worker;

/// <summary>Worker → server: the attempt failed (<c>error.kind</c> retryable, fatal or user_actionable); gives its credit back.</summary>
public sealed record FailMessage(string TaskId, long LeaseToken, TaskErrorDto Error, long? RetryAfterMs = null) : WorkerMessage;
