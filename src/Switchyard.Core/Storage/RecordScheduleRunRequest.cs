namespace Switchyard.Core.Storage;

/// <summary>
/// A run of a schedule: its fire time, the task it submitted (or why it could not) and, for a timed run, how its next
/// run moves. A run triggered by hand has no <see cref="Advance"/>; a timed run whose times were all dropped has no
/// <see cref="LastRunAt"/> (the last run stays as it was).
/// </summary>
public sealed record RecordScheduleRunRequest(string Id, DateTimeOffset? LastRunAt, string? LastTaskId, string? LastError, ScheduleAdvance? Advance);
