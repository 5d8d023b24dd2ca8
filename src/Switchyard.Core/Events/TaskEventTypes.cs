using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Events;

/// <summary>Stable event type names and the event each applied move publishes.</summary>
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
