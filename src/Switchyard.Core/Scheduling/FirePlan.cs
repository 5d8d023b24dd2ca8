namespace Switchyard.Core.Scheduling;

/// <summary>
/// What one due schedule does now: the fire times to submit (oldest first), whether older missed runs were dropped,
/// and the next run after now.
/// </summary>
public sealed record FirePlan(IReadOnlyList<DateTimeOffset> Fires, bool DroppedMissed, DateTimeOffset? NextRunAt);
