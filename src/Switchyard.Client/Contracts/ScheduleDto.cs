using System.Text.Json.Serialization;

namespace Switchyard.Client.Contracts;

/// <summary>
/// A recurring schedule on the wire (REST <c>/api/v1/schedules</c>): each time <c>cron</c> matches in <c>timeZone</c>,
/// a task is submitted from <c>template</c>. <c>nextRunAt</c> is null while paused. Times are RFC 3339 UTC.
/// </summary>
public sealed record ScheduleDto
{
    public required string Id { get; init; }
    public required string Cron { get; init; }
    public required string TimeZone { get; init; }
    public required SubmitTaskRequest Template { get; init; }

    /// <summary><c>skip</c>, <c>once</c> or <c>all</c>.</summary>
    public required string MissedRuns { get; init; }

    public bool Paused { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? NextRunAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? LastRunAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? LastTaskId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
