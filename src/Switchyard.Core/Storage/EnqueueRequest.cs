using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// New tasks to store, all or none. A task whose (scope, idempotency key) already exists is not
/// stored again: the existing one is returned instead.
/// </summary>
/// <param name="Tasks">Tasks in state queued, scheduled or blocked.</param>
/// <param name="MaxQueueLengths">Per queue, how many waiting tasks it may hold; a queue absent here has no limit.</param>
public sealed record EnqueueRequest(
    IReadOnlyList<TaskRecord> Tasks,
    IReadOnlyDictionary<string, int> MaxQueueLengths,
    string? Actor)
{
    /// <summary>How long a task that fails at submit (a dependency already failed) keeps its result.</summary>
    public long ResultTtlMs { get; init; } = Engine.EngineOptions.ResultTtlMsDefault;
}
