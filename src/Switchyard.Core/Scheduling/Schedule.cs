using Switchyard.Core.Engine;

namespace Switchyard.Core.Scheduling;

/// <summary>
/// A recurring schedule: every time <see cref="Cron"/> matches in <see cref="TimeZone"/>, a task is submitted from
/// <see cref="Template"/>. <see cref="NextRunAt"/> is null while paused or when the expression never matches again.
/// </summary>
public sealed record Schedule
{
    public required string Id { get; init; }

    /// <summary>A 5-field (minute) or 6-field (second) cron expression, or a macro such as <c>@daily</c>.</summary>
    public required string Cron { get; init; }

    /// <summary>IANA time zone id the expression is read in.</summary>
    public string TimeZone { get; init; } = ScheduleDefaults.TimeZone;

    /// <summary>What each run submits; validated when the schedule is stored.</summary>
    public required SubmitTask Template { get; init; }

    public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.Skip;

    public bool Paused { get; init; }

    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>When the last run was due (its fire time), or when it was triggered by hand.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    public string? LastTaskId { get; init; }

    /// <summary>Why the last run could not submit its task (a full queue, say); null after a run that did.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
