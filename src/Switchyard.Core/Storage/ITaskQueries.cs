using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>The read side of a store: lists, stats and history. Never on the engine's hot path.</summary>
public interface ITaskQueries
{
    /// <summary>The task, or null when it does not exist or its result has expired.</summary>
    Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Where a waiting task stands in its queue: 1 + the queued tasks of its queue a claim would take first
    /// (higher priority, or equal priority and earlier arrival). Null when the task does not exist, has expired,
    /// or is not waiting (queued, scheduled or blocked).
    /// </summary>
    Task<long?> GetQueuePositionAsync(string taskId, CancellationToken cancellationToken);

    Task<TaskPage> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// How many tasks match the query's filters (its limit and cursor are not used), counting no further than
    /// <paramref name="upTo"/> when given: a caller that only needs to know whether there are at least N pays for N.
    /// </summary>
    Task<long> CountTasksAsync(TaskQuery query, long? upTo, CancellationToken cancellationToken);

    /// <summary>The task's history, oldest first; null when the task does not exist or has expired.</summary>
    Task<IReadOnlyList<HistoryEntry>?> ListHistoryAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>
    /// The tasks <paramref name="taskId"/> depends on (<see cref="TaskRelation.Dependencies"/>) or that depend on it
    /// (<see cref="TaskRelation.Dependents"/>), with their results; null when the task does not exist or has expired.
    /// A dependency whose own result has expired is left out.
    /// </summary>
    Task<IReadOnlyList<TaskRecord>?> ListRelatedAsync(string taskId, TaskRelation relation, CancellationToken cancellationToken);

    Task<IReadOnlyList<QueueStats>> ListQueueStatsAsync(CancellationToken cancellationToken);
}
