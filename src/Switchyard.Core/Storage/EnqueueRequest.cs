using Switchyard.Core.Model;
using Switchyard.Core.Queues;

namespace Switchyard.Core.Storage;

/// <summary>
/// New tasks to store, all or none. A task whose (scope, idempotency key) already exists is not
/// stored again: the existing one is returned instead.
/// </summary>
/// <param name="Tasks">Tasks in state queued, scheduled or blocked.</param>
/// <param name="MaxQueueLengths">
/// Per queue, how many waiting tasks it may hold (the configured limit) unless the store keeps one of its own for the
/// queue (see <see cref="StoredLengthsApply"/>); a queue absent here and without a stored limit has no limit.
/// </param>
public sealed record EnqueueRequest(
    IReadOnlyList<TaskRecord> Tasks,
    IReadOnlyDictionary<string, int> MaxQueueLengths,
    string? Actor)
{
    /// <summary>How long a task that fails at submit (a dependency already failed) keeps its result.</summary>
    public long ResultTtlMs { get; init; } = Engine.EngineOptions.ResultTtlMsDefault;

    /// <summary>
    /// Whether a queue's stored <see cref="QueueSettings.MaxLength"/> replaces its entry of <see cref="MaxQueueLengths"/>;
    /// false when the caller's limit is final (a dispatcher submit's own). The store reads the stored limit in the
    /// submit's transaction, so a change made through another node applies at once.
    /// </summary>
    public bool StoredLengthsApply { get; init; } = true;

    /// <summary>How many waiting tasks <paramref name="queue"/> may hold, given the limit it has stored (null when none); null = no limit.</summary>
    public int? MaxLengthOf(string queue, int? stored) =>
        QueueSettings.LengthLimit(StoredLengthsApply ? stored : null, MaxQueueLengths.TryGetValue(queue, out var configured) ? configured : null);
}
