using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>What kind of task became claimable: enough for a waiting claimer to tell whether it could take it.</summary>
public readonly record struct WorkArrival(string Queue, string Group, string Type)
{
    public static WorkArrival Of(TaskRecord task) => new(task.Queue, task.Group, task.Type);

    /// <summary>
    /// Whether a claimer of these queues, groups and types could take such a task: its queue is among the queues, its
    /// group is <c>default</c> or among the groups, and its type among the types (no types: any).
    /// </summary>
    public bool Concerns(IReadOnlyList<string> queues, IReadOnlyList<string> groups, IReadOnlyList<string> types) =>
        Contains(queues, Queue)
        && (Group == TaskDefaults.Group || Contains(groups, Group))
        && (types.Count == 0 || Contains(types, Type));

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
