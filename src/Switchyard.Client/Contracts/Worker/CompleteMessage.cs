using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts.Worker;

/// <summary>Worker → server: the task's result; gives its credit back.</summary>
public sealed record CompleteMessage(string TaskId, long LeaseToken, JsonText? Result = null) : WorkerMessage;
