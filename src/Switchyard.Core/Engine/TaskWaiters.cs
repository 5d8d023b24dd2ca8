using System.Collections.Concurrent;
using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>
/// Callers waiting for a task to settle (finish, or reach review). A caller registers before it reads
/// the task's state, so a result that lands between the read and the wait is never missed.
/// </summary>
public sealed class TaskWaiters
{
    private readonly ConcurrentDictionary<string, Registration[]> _byTask = new(StringComparer.Ordinal);

    public int Count => _byTask.Count;

    /// <summary>The tasks someone waits for now (a snapshot).</summary>
    public IReadOnlyCollection<string> TaskIds => _byTask.Keys.ToArray();

    public bool IsWaitedFor(string taskId) => !_byTask.IsEmpty && _byTask.ContainsKey(taskId);

    public Registration Register(string taskId)
    {
        var registration = new Registration(this, taskId);
        _byTask.AddOrUpdate(taskId, static (_, r) => [r], static (_, list, r) => [.. list, r], registration);
        return registration;
    }

    /// <summary>Wakes the waiters of <paramref name="task"/> if it has settled.</summary>
    public void Notify(TaskRecord task)
    {
        if (!IsSettled(task.State) || _byTask.IsEmpty || !_byTask.TryRemove(task.Id, out var registrations))
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

        /// <summary>Completes with the task once it has settled.</summary>
        public Task<TaskRecord> Settled => Source.Task;

        public void Dispose() => _owner.Remove(this);
    }
}
