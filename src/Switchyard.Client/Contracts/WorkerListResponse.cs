namespace Switchyard.Client.Contracts;

/// <summary>Every connected push worker.</summary>
public sealed record WorkerListResponse(IReadOnlyList<WorkerDto> Workers);
