using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>A page of tasks, newest first. <see cref="Cursor"/> continues after the previous page.</summary>
public sealed record TaskQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public IReadOnlyList<TaskState> States { get; init; } = [];
    public string? Queue { get; init; }
    public string? Type { get; init; }
    public string? Group { get; init; }
    public string? Scope { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>Only tasks running under a lease this worker holds (a push worker's id, a pull worker's own id).</summary>
    public string? Worker { get; init; }

    /// <summary>Only the children of this task.</summary>
    public string? ParentId { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = TaskDefaults.NoLabels;
    public int Limit { get; init; } = DefaultLimit;
    public long? Cursor { get; init; }
}
