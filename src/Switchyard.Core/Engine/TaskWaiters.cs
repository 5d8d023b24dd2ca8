using System.Collections.Concurrent;
using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>
/// Callers waiting for a task to settle (finish, or reach review). A caller registers before it reads
/// the task's state, so a result that lands between the read and the wait is never missed. Once the server is
/// stopping, a wait also ends when none of its own workers holds the task (see <see cref="Stop"/>).
/// </summary>
public sealed class TaskWaiters
{
    /// <summary>The reason a surface gives when it cancels a task whose caller's wait ended because the server stopped.</summary>
    public const string StoppingReason = "the server is shutting down";

    private readonly ConcurrentDictionary<string, Registration[]> _byTask = new(StringComparer.Ordinal);
    private volatile Func<TaskRecord, bool>? _heldHere;

    public int Count => _byTask.Count;

    /// <summary>The tasks someone waits for now (a snapshot).</summary>
    public IReadOnlyCollection<string> TaskIds => _byTask.Keys.ToArray();

    public bool IsWaitedFor(string taskId) => !_byTask.IsEmpty && _byTask.ContainsKey(taskId);

    /// <summary>True once <see cref="Stop"/> was called: a wait goes on only for a task one of the server's own workers holds.</summary>
    public bool Stopping => _heldHere is not null;

    /// <summary>
    /// The server is stopping (its push workers were told to take nothing more): from now on a move of a waited task
    /// that <paramref name="heldHere"/> says none of this server's connected workers holds ends its waits with the task
    /// as it is (not settled). Waits for tasks its workers hold go on, since those may still report before their
    /// connections close; a task queued, or leased by a pull worker or another node's worker, gets no answer this server
    /// could wait for. The caller releases the waits of tasks that already moved.
    /// </summary>
    public void Stop(Func<TaskRecord, bool> heldHere) => _heldHere = heldHere;

    /// <summary>True when a wait for <paramref name="task"/> should end now: it settled, or the server is stopping and none of its workers holds it.</summary>
    public bool Ends(TaskRecord task) =>
        IsSettled(task.State) || (_heldHere is { } heldHere && !(task.State == TaskState.Running && heldHere(task)));

    public Registration Register(string taskId)
    {
        var registration = new Registration(this, taskId);
        _byTask.AddOrUpdate(taskId, static (_, r) => [r], static (_, list, r) => [.. list, r], registration);
        return registration;
    }

    /// <summary>Wakes the waiters of <paramref name="task"/> if their wait ends with this state of it (see <see cref="Ends"/>).</summary>
    public void Notify(TaskRecord task)
    {
        if (!Ends(task) || _byTask.IsEmpty || !_byTask.TryRemove(task.Id, out var registrations))
        {
            return;
        }

        foreach (var registration in registrations)
        {
            registration.Source.TrySetResult(task);
        }
    }

    public static bool IsSettled(TaskState state) => state.IsTerminal() || state == TaskState.Review;

    private void Remove(Registration registration)
    {
        while (_byTask.TryGetValue(registration.TaskId, out var list))
        {
            var rest = Array.FindAll(list, r => !ReferenceEquals(r, registration));
            var done = rest.Length == 0
                ? _byTask.TryRemove(new KeyValuePair<string, Registration[]>(registration.TaskId, list))
                : _byTask.TryUpdate(registration.TaskId, rest, list);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>One caller's interest in one task; dispose it when done waiting.</summary>
    public sealed class Registration : IDisposable
    {
        private readonly TaskWaiters _owner;

        internal Registration(TaskWaiters owner, string taskId)
        {
            _owner = owner;
            TaskId = taskId;
        }

        public string TaskId { get; }

        internal TaskCompletionSource<TaskRecord> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes with the task once it has settled (or, while the server stops, once none of its workers holds it).</summary>
        public Task<TaskRecord> Settled => Source.Task;

        public void Dispose() => _owner.Remove(this);
    }
}
