namespace Switchyard.Client.Contracts;

/// <summary>Every queue that holds tasks.</summary>
public sealed record QueueListResponse(IReadOnlyList<QueueDto> Queues);
