namespace Switchyard.Client.Contracts;

/// <summary>One task of a batch: <c>created</c> is false when its idempotency key matched an existing task.</summary>
public sealed record SubmittedTaskDto(string Id, string State, bool Created);
