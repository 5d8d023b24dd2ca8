namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/tasks/{id}/fail</c>; <c>error.kind</c> defaults to retryable.</summary>
public sealed record FailRequest(long? LeaseToken, TaskErrorDto? Error, long? RetryAfterMs = null);
