namespace Switchyard.Client.Contracts;

/// <summary>
/// A queue's task counts per state; <c>waiting</c> = queued + scheduled + blocked; <c>maxLength</c> is the limit in force
/// (stored setting, else configuration); <c>settings</c> are its stored controls.
/// </summary>
public sealed record QueueDto(string Name, IReadOnlyDictionary<string, long> Counts, long Waiting, int? MaxLength, QueueSettingsDto? Settings = null);
