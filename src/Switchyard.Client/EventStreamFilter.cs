namespace Switchyard.Client;

/// <summary>
/// Which events <see cref="SwitchyardClient.WatchEventsAsync"/> asks for; unset fields do not filter. Types accept
/// <c>task.completed</c>-style names, seed 002's aliases (<c>task-completed</c>) and <c>task.*</c>; <see cref="Project"/>
/// matches the task's <c>project</c> label.
/// </summary>
public sealed record EventStreamFilter
{
    public IReadOnlyList<string>? Types { get; init; }

    public string? Queue { get; init; }

    public string? TaskId { get; init; }

    public string? CorrelationId { get; init; }

    public string? Scope { get; init; }

    public string? Project { get; init; }

    internal QueryString AddTo(QueryString query) => query
        .Add("type", Types is { Count: > 0 } types ? string.Join(',', types) : null)
        .Add("queue", Queue)
        .Add("taskId", TaskId)
        .Add("correlationId", CorrelationId)
        .Add("scope", Scope)
        .Add("project", Project);
}
