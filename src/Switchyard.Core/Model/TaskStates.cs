using System.Collections.Frozen;

namespace Switchyard.Core.Model;

/// <summary>Stable persisted names of <see cref="TaskState"/> and predicates over states.</summary>
public static class TaskStates
{
    private static readonly string[] Names =
        ["scheduled", "blocked", "queued", "running", "review", "completed", "failed", "cancelled"];

    private static readonly FrozenDictionary<string, TaskState> ByName =
        Names.Select((name, index) => (name, state: (TaskState)index))
            .ToFrozenDictionary(x => x.name, x => x.state, StringComparer.Ordinal);

    public static IReadOnlyList<TaskState> All { get; } = Enum.GetValues<TaskState>();

    public static IReadOnlyList<string> AllNames => Names;

    public static string ToName(this TaskState state) => Names[(int)state];

    public static bool TryParse(string? name, out TaskState state) =>
        ByName.TryGetValue(name ?? string.Empty, out state);

    public static TaskState Parse(string name) =>
        TryParse(name, out var state) ? state : throw new FormatException($"Unknown task state '{name}'.");

    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Completed or TaskState.Failed or TaskState.Cancelled;

    /// <summary>States that count towards a queue's length: waiting, not yet handed to a worker.</summary>
    public static bool IsWaiting(this TaskState state) =>
        state is TaskState.Queued or TaskState.Scheduled or TaskState.Blocked;
}
