using System.Collections.Frozen;

namespace Switchyard.Core.Model;

/// <summary>
/// The one transition table of the engine. Every store asks it before it writes a state, and
/// <c>docs/state-machine.md</c> draws it. A move is identified by (from, trigger, to).
/// </summary>
public static class TaskTransitions
{
    private static readonly TaskState[] Live =
        [TaskState.Scheduled, TaskState.Blocked, TaskState.Queued, TaskState.Running, TaskState.Review];

    /// <summary>The table: every legal (from, trigger, to). A null "from" is a task entering the engine.</summary>
    public static IReadOnlyList<TaskTransition> Table { get; } = Build();

    private static readonly FrozenSet<(TaskState From, TaskTrigger Trigger, TaskState To)> Moves =
        Table.Where(t => t.From is not null).Select(t => (t.From!.Value, t.Trigger, t.To)).ToFrozenSet();

    private static readonly FrozenSet<(TaskState From, TaskState To)> Pairs =
        Table.Where(t => t.From is not null).Select(t => (t.From!.Value, t.To)).ToFrozenSet();

    /// <summary>True when some trigger moves a task from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TaskState from, TaskState to) => Pairs.Contains((from, to));

    /// <summary>True when <paramref name="trigger"/> may move a task from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TaskState from, TaskTrigger trigger, TaskState to) => Moves.Contains((from, trigger, to));

    /// <summary>The states from which <paramref name="trigger"/> is legal (the expected states of a compare-and-set).</summary>
    public static IReadOnlyList<TaskState> SourcesOf(TaskTrigger trigger) =>
        Table.Where(t => t.Trigger == trigger && t.From is not null).Select(t => t.From!.Value).Distinct().ToArray();

    /// <summary>Throws when the move is not in the table; stores call this before every write.</summary>
    public static void EnsureAllowed(TaskState from, TaskTrigger trigger, TaskState to)
    {
        if (!IsAllowed(from, trigger, to))
        {
            throw new InvalidOperationException(
                $"Illegal transition {from.ToName()} -> {to.ToName()} on {trigger.ToEventName()}.");
        }
    }

    private static TaskTransition[] Build()
    {
        var rows = new List<TaskTransition>
        {
            new(null, TaskTrigger.Submit, TaskState.Scheduled),
            new(null, TaskTrigger.Submit, TaskState.Blocked),
            new(null, TaskTrigger.Submit, TaskState.Queued),
            new(TaskState.Scheduled, TaskTrigger.Promote, TaskState.Queued),
            new(TaskState.Blocked, TaskTrigger.Release, TaskState.Queued),
            new(TaskState.Blocked, TaskTrigger.Release, TaskState.Scheduled),
            new(TaskState.Blocked, TaskTrigger.DependencyFailed, TaskState.Failed),
            new(TaskState.Blocked, TaskTrigger.DependencyFailed, TaskState.Cancelled),
            new(TaskState.Queued, TaskTrigger.Claim, TaskState.Running),
            new(TaskState.Running, TaskTrigger.Complete, TaskState.Completed),
            new(TaskState.Running, TaskTrigger.Complete, TaskState.Review),
            new(TaskState.Running, TaskTrigger.Fail, TaskState.Queued),
            new(TaskState.Running, TaskTrigger.Fail, TaskState.Scheduled),
            new(TaskState.Running, TaskTrigger.Fail, TaskState.Failed),
            new(TaskState.Running, TaskTrigger.LeaseExpired, TaskState.Queued),
            new(TaskState.Running, TaskTrigger.LeaseExpired, TaskState.Scheduled),
            new(TaskState.Running, TaskTrigger.LeaseExpired, TaskState.Failed),
            new(TaskState.Review, TaskTrigger.Accept, TaskState.Completed),
            new(TaskState.Review, TaskTrigger.Reject, TaskState.Queued),
            new(TaskState.Review, TaskTrigger.Reject, TaskState.Failed),
            new(TaskState.Failed, TaskTrigger.Retry, TaskState.Queued),
            new(TaskState.Cancelled, TaskTrigger.Retry, TaskState.Queued),
            new(TaskState.Failed, TaskTrigger.Retry, TaskState.Blocked),
            new(TaskState.Cancelled, TaskTrigger.Retry, TaskState.Blocked),
        };
        foreach (var live in Live)
        {
            rows.Add(new(live, TaskTrigger.Cancel, TaskState.Cancelled));
            if (live != TaskState.Review)
            {
                // A deadline counts from submission: it fails a task wherever it waits or runs.
                rows.Add(new(live, TaskTrigger.Deadline, TaskState.Failed));
            }
        }

        return [.. rows];
    }
}
