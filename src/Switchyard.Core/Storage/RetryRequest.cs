namespace Switchyard.Core.Storage;

/// <summary>Queues a failed or cancelled task again with a fresh attempt count.</summary>
public sealed record RetryRequest(string TaskId, string? Reason, string? Actor);
