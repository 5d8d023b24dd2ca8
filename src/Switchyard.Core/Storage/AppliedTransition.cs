using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>A move a store has durably applied: the task as it now is, where it came from, and why.</summary>
public sealed record AppliedTransition(TaskRecord Task, TaskState? From, TaskTrigger Trigger)
{
    /// <summary>Moves the store applied in the same transaction because of this one (dependents released or failed).</summary>
    public IReadOnlyList<AppliedTransition> Consequences { get; init; } = [];

    /// <summary>
    /// The task as this move and the moves applied with it left it: a retried task that its dependencies released or
    /// failed at once is in that state, not in the <c>blocked</c> the move itself put it in.
    /// </summary>
    public TaskRecord Latest => Flatten(Consequences).LastOrDefault(m => m.Task.Id == Task.Id)?.Task ?? Task;

    /// <summary>Each move followed by its consequences, depth first, in the order the store applied them.</summary>
    public static IEnumerable<AppliedTransition> Flatten(IReadOnlyList<AppliedTransition> moves)
    {
        ArgumentNullException.ThrowIfNull(moves);
        foreach (var move in moves)
        {
            yield return move;
            foreach (var consequence in Flatten(move.Consequences))
            {
                yield return consequence;
            }
        }
    }
}
