namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/tasks/batch</c>: stored all or none.</summary>
public sealed record SubmitBatchRequest(IReadOnlyList<SubmitTaskRequest>? Tasks);
