namespace Switchyard.Client.Contracts.Worker;

/// <summary>
/// Server → worker: a frame was refused. <c>code</c> is one of the REST error codes (stale_lease,
/// task_cancelled, lease_expired, not_found, validation_failed, invalid_message, unauthorized, ...);
/// <c>taskId</c> names the task the refused frame was about, if any.
/// </summary>
public sealed record ErrorMessage(string Code, string Message, string? TaskId = null) : WorkerMessage;
