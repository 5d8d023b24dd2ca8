namespace Switchyard.Core.Scheduling;

/// <summary>Defaults and fixed names of schedules.</summary>
public static class ScheduleDefaults
{
    public const string TimeZone = "UTC";

    /// <summary>Label every task a schedule submits carries, with the schedule's id as its value.</summary>
    public const string Label = "schedule";

    /// <summary>Actor of the history rows of tasks a schedule submits: <c>schedule:ID</c>.</summary>
    public const string ActorPrefix = "schedule:";
}
