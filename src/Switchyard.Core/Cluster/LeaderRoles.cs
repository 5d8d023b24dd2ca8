namespace Switchyard.Core.Cluster;

/// <summary>The jobs one node of a cluster runs at a time, by stable name (logs, metrics, <c>/readyz</c>).</summary>
public static class LeaderRoles
{
    public const string LeaseRescuer = "lease-rescuer";
    public const string SchedulePromoter = "schedule-promoter";
    public const string DeadlineEnforcer = "deadline-enforcer";
    public const string RetentionCleaner = "retention-cleaner";
    public const string ScheduleRunner = "schedule-runner";
    public const string SystemTasks = "system-tasks";
    public const string NodeSweeper = "node-sweeper";
    public const string TableUpkeep = "table-upkeep";

    /// <summary>Every role, in a fixed order (each one's advisory lock key is its position).</summary>
    public static IReadOnlyList<string> All { get; } =
        [LeaseRescuer, SchedulePromoter, DeadlineEnforcer, RetentionCleaner, ScheduleRunner, SystemTasks, NodeSweeper, TableUpkeep];
}
