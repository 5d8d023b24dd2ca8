using System.Collections.Concurrent;
using Switchyard.Core.Model;

namespace Switchyard.Core.Dispatch;

/// <summary>
/// One connected push worker: its credits (how many more tasks it may be given) and the tasks it
/// holds, each with the lease token it holds it by. Thread-safe.
/// </summary>
public sealed class WorkerSession
{
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkerSession> _holders;
    private readonly Action _creditsFreed;
    private readonly Action _quieted;
    private int _credits;
    private int _quiet;
    private int _closed;

    internal WorkerSession(
        WorkerSpec spec, IWorkerLink link, int credits, DateTimeOffset connectedAt,
        ConcurrentDictionary<string, WorkerSession> holders, Action creditsFreed, Action quieted)
    {
        _holders = holders;
        Spec = spec;
        Link = link;
        _credits = credits;
        ConnectedAt = connectedAt;
        _creditsFreed = creditsFreed;
        _quieted = quieted;
    }

    public WorkerSpec Spec { get; }

    public IWorkerLink Link { get; }

    public DateTimeOffset ConnectedAt { get; }

    public int Credits => Volatile.Read(ref _credits);

    public bool IsQuiet => Volatile.Read(ref _quiet) != 0;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public int HeldCount => _held.Count;

    /// <summary>When the dispatcher last pushed to this worker, as a count of pushes to any worker (0: never); passes alone use it.</summary>
    internal long LastServed { get; set; }

    public IReadOnlyCollection<KeyValuePair<string, long>> Held => _held.ToArray();

    public bool Holds(string taskId, long leaseToken) => _held.TryGetValue(taskId, out var token) && token == leaseToken;

    public bool Holds(string taskId) => _held.ContainsKey(taskId);

    /// <summary>Adds credits the server grants itself (a hello's capacity, a dialect worker's next task); none when not positive.</summary>
    public void AddCredits(int credits) => TryAddCredits(credits, int.MaxValue);

    /// <summary>
    /// Adds <paramref name="credits"/> unless the worker would then hold and be owed more than <paramref name="maxCapacity"/>
    /// tasks in all (a worker's <c>credit</c> frame: capacity grows, but no further than a hello's may start).
    /// </summary>
    public bool TryAddCredits(int credits, int maxCapacity)
    {
        while (true)
        {
            var current = Volatile.Read(ref _credits);
            if (credits <= 0 || (long)current + credits + _held.Count > maxCapacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _credits, current + credits, current) == current)
            {
                _creditsFreed();
                return true;
            }
        }
    }

    /// <summary>The worker is done with a task (completed, failed, cancelled, lost): its credit returns. Idempotent.</summary>
    public bool Release(string taskId) => _held.TryRemove(taskId, out _) && Freed(taskId);

    /// <summary>The worker reports it is done with a task it holds under <paramref name="leaseToken"/>: its credit returns. Idempotent.</summary>
    public bool Release(string taskId, long leaseToken) =>
        _held.TryRemove(new KeyValuePair<string, long>(taskId, leaseToken)) && Freed(taskId);

    private bool Freed(string taskId)
    {
        _holders.TryRemove(new KeyValuePair<string, WorkerSession>(taskId, this));
        Interlocked.Increment(ref _credits);
        _creditsFreed();
        return true;
    }

    /// <summary>No more tasks for this worker; it is told so.</summary>
    public void Quiet()
    {
        GoQuiet();
        Link.Quiet();
    }

    /// <summary>No more tasks; the worker is told to finish within <paramref name="grace"/> and close.</summary>
    public void Terminate(TimeSpan grace)
    {
        GoQuiet();
        Link.Terminate(grace);
    }

    /// <summary>Takes up to <paramref name="wanted"/> credits for a claim; returns how many it got.</summary>
    internal int TakeCredits(int wanted)
    {
        while (true)
        {
            var current = Volatile.Read(ref _credits);
            var take = Math.Min(current, wanted);
            if (take <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _credits, current - take, current) == current)
            {
                return take;
            }
        }
    }

    /// <summary>Gives back credits a claim did not use.</summary>
    internal void ReturnCredits(int credits)
    {
        if (credits > 0)
        {
            Interlocked.Add(ref _credits, credits);
        }
    }

    private void GoQuiet()
    {
        if (Interlocked.Exchange(ref _quiet, 1) == 0)
        {
            _quieted();
        }
    }

    internal void MarkClosed() => Interlocked.Exchange(ref _closed, 1);

    internal void Track(TaskRecord task)
    {
        _held[task.Id] = task.Lease!.Token;
        _holders[task.Id] = this;
    }

    /// <summary>Removes one held task without returning its credit; true for exactly one caller.</summary>
    internal bool Forget(string taskId, out long leaseToken)
    {
        if (!_held.TryRemove(taskId, out leaseToken))
        {
            return false;
        }

        _holders.TryRemove(new KeyValuePair<string, WorkerSession>(taskId, this));
        return true;
    }

    /// <summary>Removes every held task; each is returned to exactly one caller (here or <see cref="Forget"/>).</summary>
    internal IReadOnlyList<KeyValuePair<string, long>> DrainHeld()
    {
        var drained = new List<KeyValuePair<string, long>>();
        foreach (var taskId in _held.Keys)
        {
            if (Forget(taskId, out var token))
            {
                drained.Add(new(taskId, token));
            }
        }

        return drained;
    }
}
