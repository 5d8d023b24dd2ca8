using System.Collections.Frozen;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Events;

/// <summary>Stable event type names, the event each applied move publishes, and the names a type filter accepts.</summary>
public static class TaskEventTypes
{
    public const string Queued = "task.queued";
    public const string Scheduled = "task.scheduled";
    public const string Blocked = "task.blocked";
    public const string Started = "task.started";
    public const string Progress = "task.progress";
    public const string Retrying = "task.retrying";
    public const string Review = "task.review";
    public const string Accepted = "task.accepted";
    public const string Rejected = "task.rejected";
    public const string Completed = "task.completed";
    public const string Failed = "task.failed";
    public const string Cancelled = "task.cancelled";
    public const string Expired = "task.expired";

    /// <summary>Every event type, in a fixed order (metrics index by it).</summary>
    public static IReadOnlyList<string> All { get; } =
        [Queued, Scheduled, Blocked, Started, Progress, Retrying, Review, Accepted, Rejected, Completed, Failed, Cancelled, Expired];

    /// <summary>Seed 002's names, accepted wherever a type filter is given.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["task-queued"] = Queued,
        ["task-started"] = Started,
        ["task-progress"] = Progress,
        ["task-completed"] = Completed,
        ["task-failed"] = Failed,
        ["task-cancelled"] = Cancelled,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> Index =
        All.Select((name, i) => (name, i)).ToFrozenDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

    /// <summary>Position of <paramref name="type"/> in <see cref="All"/>.</summary>
    public static int IndexOf(string type) => Index[type];

    /// <summary>
    /// The event types a filter word stands for: a type (<c>task.completed</c>), one of seed 002's aliases
    /// (<c>task-completed</c>), or a wildcard (<c>task.*</c> or <c>*</c>); null when it names none.
    /// </summary>
    public static IReadOnlyList<string>? Resolve(string word) => word switch
    {
        "*" or "task.*" => All,
        _ when Index.ContainsKey(word) => [word],
        _ when Aliases.TryGetValue(word, out var type) => [type],
        _ => null,
    };

    public static string Of(AppliedTransition move) => (move.Trigger, move.Task.State) switch
    {
        (TaskTrigger.Claim, _) => Started,
        (TaskTrigger.Accept, _) => Accepted,
        (TaskTrigger.Reject, TaskState.Queued) => Rejected,
        (TaskTrigger.Fail or TaskTrigger.LeaseExpired, TaskState.Queued or TaskState.Scheduled) => Retrying,
        (_, TaskState.Queued) => Queued,
        (_, TaskState.Scheduled) => Scheduled,
        (_, TaskState.Blocked) => Blocked,
        (_, TaskState.Review) => Review,
        (_, TaskState.Completed) => Completed,
        (_, TaskState.Failed) => Failed,
        (_, TaskState.Cancelled) => Cancelled,
        (_, TaskState.Running) => Started,
        _ => throw new ArgumentOutOfRangeException(nameof(move), move.Trigger, "No event for this move."),
    };
}
