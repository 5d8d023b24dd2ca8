using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>How many tasks of a queue are in each state.</summary>
public sealed record QueueStats(string Queue, IReadOnlyDictionary<TaskState, long> Counts)
{
    public long Waiting => Count(TaskState.Queued) + Count(TaskState.Scheduled) + Count(TaskState.Blocked);

    public long Count(TaskState state) => Counts.TryGetValue(state, out var n) ? n : 0;
}
