namespace Switchyard.Core.Model;

/// <summary>Stable event names for history rows.</summary>
public static class TaskTriggers
{
    public static string ToEventName(this TaskTrigger trigger) => trigger switch
    {
        TaskTrigger.Submit => "submitted",
        TaskTrigger.Promote => "promoted",
        TaskTrigger.Release => "released",
        TaskTrigger.DependencyFailed => "dependency_failed",
        TaskTrigger.Claim => "claimed",
        TaskTrigger.Complete => "completed",
        TaskTrigger.Fail => "failed",
        TaskTrigger.LeaseExpired => "lease_expired",
        TaskTrigger.Deadline => "timeout",
        TaskTrigger.Accept => "accepted",
        TaskTrigger.Reject => "rejected",
        TaskTrigger.Cancel => "cancelled",
        TaskTrigger.Retry => "retried",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };

    /// <summary>The trigger a history row's event name stands for (the inverse of <see cref="ToEventName"/>).</summary>
    public static bool TryParseEventName(string? eventName, out TaskTrigger trigger)
    {
        foreach (var candidate in Enum.GetValues<TaskTrigger>())
        {
            if (candidate.ToEventName() == eventName)
            {
                trigger = candidate;
                return true;
            }
        }

        trigger = default;
        return false;
    }
}
