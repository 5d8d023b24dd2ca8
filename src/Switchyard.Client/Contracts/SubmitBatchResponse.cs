namespace Switchyard.Client.Contracts;

/// <summary>What a batch stored, in request order.</summary>
public sealed record SubmitBatchResponse(IReadOnlyList<SubmittedTaskDto> Tasks);
