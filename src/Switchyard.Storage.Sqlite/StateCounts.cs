using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>How many tasks each queue holds per state, kept in memory by the writer and read by anyone.</summary>
internal sealed class StateCounts
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long[]> _byQueue = new(StringComparer.Ordinal);

    public void Clear()
    {
        lock (_gate)
        {
            _byQueue.Clear();
        }
    }

    public void Add(string queue, TaskState state, long delta)
    {
        lock (_gate)
        {
            if (!_byQueue.TryGetValue(queue, out var counts))
            {
                _byQueue[queue] = counts = new long[TaskStates.All.Count];
            }

            counts[(int)state] += delta;
        }
    }

    public void Move(string queue, TaskState? from, TaskState to)
    {
        lock (_gate)
        {
            if (!_byQueue.TryGetValue(queue, out var counts))
            {
                _byQueue[queue] = counts = new long[TaskStates.All.Count];
            }

            if (from is { } f)
            {
                counts[(int)f]--;
            }

            counts[(int)to]++;
        }
    }

    public long Waiting(string queue)
    {
        lock (_gate)
        {
            return _byQueue.TryGetValue(queue, out var c)
                ? c[(int)TaskState.Queued] + c[(int)TaskState.Scheduled] + c[(int)TaskState.Blocked]
                : 0;
        }
    }

    public IReadOnlyList<QueueStats> Snapshot()
    {
        lock (_gate)
        {
            return _byQueue
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new QueueStats(kv.Key, TaskStates.All.ToDictionary(s => s, s => kv.Value[(int)s])))
                .ToArray();
        }
    }
}
