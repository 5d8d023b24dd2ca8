namespace Switchyard.Client.Contracts;

/// <summary>
/// Body of <c>PUT /api/v1/schedules/{id}</c>: <c>cron</c> and <c>template</c> (a submit body without <c>id</c>,
/// <c>idempotencyKey</c> or <c>runAt</c>) are required; <c>timeZone</c> defaults to UTC, <c>missedRuns</c> to
/// <c>skip</c>; <c>paused</c> absent keeps the stored schedule's flag.
/// </summary>
public sealed record PutScheduleRequest
{
    public string? Cron { get; init; }
    public string? TimeZone { get; init; }
    public SubmitTaskRequest? Template { get; init; }
    public string? MissedRuns { get; init; }
    public bool? Paused { get; init; }
}
