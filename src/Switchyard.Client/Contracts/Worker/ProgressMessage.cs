using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts.Worker;

/// <summary>Worker → server: how a running task is doing (forwarded to subscribers at most 10 times a second per task).</summary>
public sealed record ProgressMessage(string TaskId, long LeaseToken, double? Percent = null, string? Message = null, JsonText? Data = null) : WorkerMessage;
