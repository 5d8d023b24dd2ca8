namespace Switchyard.Core.Storage;

/// <summary>Move a schedule's next run from <see cref="From"/> (what the runner read) to <see cref="To"/>.</summary>
public sealed record ScheduleAdvance(DateTimeOffset From, DateTimeOffset? To);
