namespace Switchyard.Core.Model;

/// <summary>The eight states a task can be in. Persisted as stable lowercase names (see <see cref="TaskStates"/>).</summary>
public enum TaskState
{
    Scheduled,
    Blocked,
    Queued,
    Running,
    Review,
    Completed,
    Failed,
    Cancelled,
}
