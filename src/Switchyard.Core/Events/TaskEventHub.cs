using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Model;

namespace Switchyard.Core.Events;

/// <summary>
/// The in-process event bus: one shared ring of the latest events, each numbered by the bus. Publishing costs the
/// same whatever the number of subscribers and never waits: it writes one slot and, when a subscriber sleeps, queues
/// one wake-up (at once after a quiet spell, else at most one per <see cref="WakeInterval"/>, so that under a
/// sustained stream sleeping readers wake to a batch rather than to each event). Each subscriber reads the ring at its own pace through its own cursor and filter; one that falls more
/// than the ring behind loses its place and is told so (see <see cref="TaskEventSubscription"/>).
/// </summary>
/// <remarks>
/// Sequence numbers start above the node's start time in seconds × 2^20, so they keep increasing across restarts
/// (a resume from before a restart is told what it lost) and stay below 2^53, exact in JavaScript.
/// </remarks>
public sealed class TaskEventHub : IDisposable
{
    /// <summary>Sleeping readers are woken at most this often while events keep coming (the real clock: a mechanical limit, not a domain time).</summary>
    public static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(1);

    private readonly TaskEvent?[] _ring;
    private readonly int _mask;
    private readonly ConcurrentDictionary<long, TaskEventSubscription> _subscribers = new();
    private readonly RunningTasks _running;
    private readonly ITimer _wakeTimer;
    private TaskCompletionSource _arrived = NewSignal();
    private long _lastWake;
    private long _last;
    private long _nextSubscriber;
    private int _sleepers;
    private int _wakeQueued;

    public TaskEventHub(IOptions<EventBusOptions> options, TimeProvider time, IMeterFactory? meters = null, IClusterBus? cluster = null)
    {
        Options = options.Value;
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(EventBusOptions.Section, typeof(EventBusOptions), problems);
        }

        Time = time;
        Shared = cluster?.Shared ?? false;
        _ring = new TaskEvent?[Options.RingSize];
        _mask = _ring.Length - 1;
        FirstSeq = (Math.Max(0, time.GetUtcNow().ToUnixTimeSeconds()) << 20) + 1;
        _last = FirstSeq - 1;
        Metrics = new EventBusMetrics(this, meters);
        _running = new RunningTasks(this, TimeSpan.FromMilliseconds(Options.ProgressIntervalMs));
        _wakeTimer = TimeProvider.System.CreateTimer(static hub => ((TaskEventHub)hub!).WakeSleepers(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public EventBusOptions Options { get; }

    public TimeProvider Time { get; }

    public int Capacity => _ring.Length;

    /// <summary>
    /// True when other nodes publish the same events under their own numbers (<see cref="IClusterBus.Shared"/>): a
    /// resume from a number this node never gave out then goes on with the live events, not with all the ring holds.
    /// </summary>
    public bool Shared { get; }

    /// <summary>The number the first event of this node gets.</summary>
    public long FirstSeq { get; }

    /// <summary>The number of the latest event (<see cref="FirstSeq"/> − 1 before the first).</summary>
    public long LastSeq => Volatile.Read(ref _last);

    /// <summary>The oldest event the ring still holds (or the next to come when it is empty).</summary>
    public long OldestSeq => Math.Max(FirstSeq, LastSeq - _ring.Length + 1);

    public int SubscriberCount => _subscribers.Count;

    public IEnumerable<TaskEventSubscription> Subscribers => _subscribers.Values;

    internal EventBusMetrics Metrics { get; }

    internal TaskCompletionSource Arrived => Volatile.Read(ref _arrived);

    /// <summary>Publishes the event of one applied move; <paramref name="reason"/> travels with a cancellation.</summary>
    public TaskEvent Publish(string type, TaskRecord task, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        _running.Leaving(task.Id);
        var summary = TaskSummary.Of(task, reason, Options.MaxResultChars);
        var published = Append(type, task.Id, task.CorrelationId, task.UpdatedAt, summary);
        if (task is { State: TaskState.Running, Lease: { } lease })
        {
            _running.Track(task.Id, task.CorrelationId, summary, lease.Token, replace: true);
        }

        return published;
    }

    /// <summary>
    /// A running task's progress: published as <c>task.progress</c> at most once per <see cref="EventBusOptions.ProgressIntervalMs"/>
    /// per task, keeping the newest report. False when the bus does not know the task as running (then see <see cref="Track"/>).
    /// </summary>
    public bool ReportProgress(string taskId, long leaseToken, TaskProgress progress) =>
        _running.Report(taskId, leaseToken, progress);

    /// <summary>Starts tracking a task found running (after a restart, say) so its progress can be published.</summary>
    public void Track(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task is { State: TaskState.Running, Lease: { } lease })
        {
            _running.Track(task.Id, task.CorrelationId, TaskSummary.Of(task, null, Options.MaxResultChars), lease.Token, replace: false);
        }
    }

    /// <summary>Subscribes from the next event on, or, with <paramref name="afterSeq"/>, from the event after it (a resume).</summary>
    public TaskEventSubscription Subscribe(EventFilter? filter = null, long? afterSeq = null, string transport = "in-process")
    {
        var id = Interlocked.Increment(ref _nextSubscriber);
        var subscription = new TaskEventSubscription(this, id, filter ?? EventFilter.All, transport, afterSeq);
        _subscribers[id] = subscription;
        return subscription;
    }

    /// <summary>Signals every subscriber that fell more than the ring behind (its transport then closes); returns how many.</summary>
    public int DropStalled()
    {
        var dropped = 0;
        foreach (var subscription in _subscribers.Values)
        {
            if (subscription.Lag > _ring.Length && subscription.MarkStalled())
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>Forgets running tasks that reported nothing for <paramref name="idle"/> (a lost move can leave one behind).</summary>
    public int ForgetIdle(TimeSpan idle) => _running.ForgetIdle(idle);

    public EventBusStats Stats() => EventBusStats.Of(this);

    public void Dispose()
    {
        _wakeTimer.Dispose();
        _running.Dispose();
        Metrics.Dispose();
    }

    internal TaskEvent Append(string type, string taskId, string? correlationId, DateTimeOffset time, TaskSummary summary)
    {
        var seq = Interlocked.Increment(ref _last);
        var taskEvent = new TaskEvent(seq, type, taskId, correlationId, time, summary) { PublishedAt = Time.GetTimestamp() };
        ref var slot = ref _ring[seq & _mask];
        var current = Volatile.Read(ref slot);
        while (current is null || current.Seq < seq)
        {
            var seen = Interlocked.CompareExchange(ref slot, taskEvent, current);
            if (ReferenceEquals(seen, current))
            {
                break;
            }

            current = seen;
        }

        Metrics.Published(type);
        if (Volatile.Read(ref _sleepers) > 0 && Interlocked.Exchange(ref _wakeQueued, 1) == 0)
        {
            var since = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastWake));
            if (since >= WakeInterval)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static hub => hub.WakeSleepers(), this, preferLocal: false);
            }
            else
            {
                _wakeTimer.Change(WakeInterval - since, Timeout.InfiniteTimeSpan);
            }
        }

        return taskEvent;
    }

    /// <summary>The event numbered <paramref name="seq"/> if the ring holds it; else null (not yet written) or a later one (overwritten).</summary>
    internal TaskEvent? Slot(long seq) => Volatile.Read(ref _ring[seq & _mask]);

    internal void Sleeping() => Interlocked.Increment(ref _sleepers);

    internal void Awake() => Interlocked.Decrement(ref _sleepers);

    internal void Remove(TaskEventSubscription subscription) => _subscribers.TryRemove(subscription.Id, out _);

    private void WakeSleepers()
    {
        Volatile.Write(ref _lastWake, Stopwatch.GetTimestamp());
        Volatile.Write(ref _wakeQueued, 0);
        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
