using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// How many tasks each queue holds per state, and how many of each type run, kept in memory by the writer and read
/// by anyone (the claim path's limits read the running counts).
/// </summary>
internal sealed class StateCounts : IRunningCounts
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long[]> _byQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _runningByType = new(StringComparer.Ordinal);
    private long _blocked;

    /// <summary>Blocked tasks in all queues: when none, a finished task has no dependents to resolve.</summary>
    public long Blocked => Volatile.Read(ref _blocked);

    public void Clear()
    {
        lock (_gate)
        {
            _byQueue.Clear();
            _runningByType.Clear();
            _blocked = 0;
        }
    }

    /// <summary>A task moved from <paramref name="from"/> to its current state: its queue's counts and, around running, its type's.</summary>
    public void Move(TaskRecord task, TaskState? from)
    {
        Move(task.Queue, from, task.State);
        if ((from == TaskState.Running) != (task.State == TaskState.Running))
        {
            AddRunning(task.Type, task.State == TaskState.Running ? 1 : -1);
        }
    }

    public void AddRunning(string type, long delta)
    {
        lock (_gate)
        {
            var running = _runningByType.GetValueOrDefault(type) + delta;
            if (running == 0)
            {
                _runningByType.Remove(type);
            }
            else
            {
                _runningByType[type] = running;
            }
        }
    }

    public long RunningIn(string queue)
    {
        lock (_gate)
        {
            return _byQueue.TryGetValue(queue, out var c) ? c[(int)TaskState.Running] : 0;
        }
    }

    public long RunningOf(string type)
    {
        lock (_gate)
        {
            return _runningByType.GetValueOrDefault(type);
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
            if (state == TaskState.Blocked)
            {
                _blocked += delta;
            }
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
                _blocked -= f == TaskState.Blocked ? 1 : 0;
            }

            counts[(int)to]++;
            _blocked += to == TaskState.Blocked ? 1 : 0;
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
