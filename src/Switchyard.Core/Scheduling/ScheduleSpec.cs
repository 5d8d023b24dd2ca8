using Switchyard.Core.Engine;

namespace Switchyard.Core.Scheduling;

/// <summary>What a client asks for when it creates or replaces a schedule; the <see cref="ScheduleBroker"/> validates it.</summary>
public sealed record ScheduleSpec
{
    public required string Id { get; init; }

    public required string Cron { get; init; }

    /// <summary>IANA id; null means UTC.</summary>
    public string? TimeZone { get; init; }

    public required SubmitTask Template { get; init; }

    public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.Skip;

    /// <summary>Null keeps the stored schedule's flag (a new schedule runs).</summary>
    public bool? Paused { get; init; }
}
