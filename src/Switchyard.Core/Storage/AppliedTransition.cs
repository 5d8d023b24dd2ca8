using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>A move a store has durably applied: the task as it now is, where it came from, and why.</summary>
public sealed record AppliedTransition(TaskRecord Task, TaskState? From, TaskTrigger Trigger)
{
    /// <summary>Moves the store applied in the same transaction because of this one (dependents released or failed).</summary>
    public IReadOnlyList<AppliedTransition> Consequences { get; init; } = [];
}
