namespace Switchyard.Client.Contracts;

/// <summary>A queue's task counts per state; <c>waiting</c> = queued + scheduled + blocked.</summary>
public sealed record QueueDto(string Name, IReadOnlyDictionary<string, long> Counts, long Waiting, int? MaxLength);
