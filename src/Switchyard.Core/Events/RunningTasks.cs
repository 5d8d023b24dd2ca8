using System.Collections.Concurrent;
using Switchyard.Core.Model;

namespace Switchyard.Core.Events;

/// <summary>
/// The tasks the bus knows as running, so their progress can be published with a summary: at most one
/// <c>task.progress</c> per interval per task, the newest report winning; a report still held when the task moves
/// on is published just before the move's event.
/// </summary>
internal sealed class RunningTasks(TaskEventHub hub, TimeSpan interval) : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _tasks = new(StringComparer.Ordinal);

    public void Track(string taskId, string? correlationId, TaskSummary summary, long leaseToken, bool replace)
    {
        var entry = new Entry(taskId, correlationId, summary, leaseToken, hub.Time.GetTimestamp());
        if (replace)
        {
            _tasks[taskId] = entry;
        }
        else
        {
            _tasks.TryAdd(taskId, entry);
        }
    }

    /// <summary>The task is about to publish a move: flush what it holds back and forget it.</summary>
    public void Leaving(string taskId)
    {
        if (_tasks.TryRemove(taskId, out var entry))
        {
            lock (entry)
            {
                Flush(entry);
                entry.Close();
            }
        }
    }

    public bool Report(string taskId, long leaseToken, TaskProgress progress)
    {
        if (!_tasks.TryGetValue(taskId, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            if (entry.Closed || entry.LeaseToken != leaseToken || progress.Equals(entry.Pending ?? entry.LastSent))
            {
                return true;
            }

            entry.Touched = hub.Time.GetTimestamp();
            var since = entry.SentAt is { } sentAt ? hub.Time.GetElapsedTime(sentAt) : TimeSpan.MaxValue;
            if (entry.Pending is null && since >= interval)
            {
                Emit(entry, progress);
                return true;
            }

            entry.Pending = progress;
            entry.Timer ??= hub.Time.CreateTimer(
                static state =>
                {
                    var (tasks, held) = ((RunningTasks, Entry))state!;
                    tasks.FlushLocked(held);
                },
                (this, entry),
                interval - since,
                Timeout.InfiniteTimeSpan);
        }

        return true;
    }

    public int ForgetIdle(TimeSpan idle)
    {
        var forgotten = 0;
        foreach (var (taskId, entry) in _tasks)
        {
            if (hub.Time.GetElapsedTime(entry.Touched) > idle && entry.Pending is null && _tasks.TryRemove(new(taskId, entry)))
            {
                lock (entry)
                {
                    entry.Close();
                }

                forgotten++;
            }
        }

        return forgotten;
    }

    public void Dispose()
    {
        foreach (var entry in _tasks.Values)
        {
            lock (entry)
            {
                entry.Close();
            }
        }

        _tasks.Clear();
    }

    private void FlushLocked(Entry entry)
    {
        lock (entry)
        {
            Flush(entry);
        }
    }

    private void Flush(Entry entry)
    {
        entry.Timer?.Dispose();
        entry.Timer = null;
        if (!entry.Closed && entry.Pending is { } pending)
        {
            entry.Pending = null;
            Emit(entry, pending);
        }
    }

    private void Emit(Entry entry, TaskProgress progress)
    {
        entry.LastSent = progress;
        entry.SentAt = hub.Time.GetTimestamp();
        hub.Append(TaskEventTypes.Progress, entry.TaskId, entry.CorrelationId, hub.Time.GetUtcNow(), entry.Summary with { Progress = progress });
    }

    private sealed class Entry(string taskId, string? correlationId, TaskSummary summary, long leaseToken, long touched)
    {
        public string TaskId { get; } = taskId;
        public string? CorrelationId { get; } = correlationId;
        public TaskSummary Summary { get; } = summary;
        public long LeaseToken { get; } = leaseToken;
        public long Touched { get; set; } = touched;
        public long? SentAt { get; set; }
        public TaskProgress? LastSent { get; set; }
        public TaskProgress? Pending { get; set; }
        public ITimer? Timer { get; set; }
        public bool Closed { get; private set; }

        public void Close()
        {
            Closed = true;
            Timer?.Dispose();
            Timer = null;
            Pending = null;
        }
    }
}
