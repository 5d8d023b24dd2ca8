using Switchyard.Core.Model;

namespace Switchyard.Core.Engine;

/// <summary>
/// The links between the tasks of one submission: a child names its parent, and a parent submitted in the
/// same call waits for its children (they become its dependencies). Children inherit the parent's
/// correlation id (or, when it has none, the parent's id). A dependency graph must have no cycle.
/// </summary>
public static class Flows
{
    /// <summary>Links parents to the children of the same batch and refuses cycles; returns the records to store.</summary>
    public static Outcome<TaskRecord[]> Link(IReadOnlyList<TaskRecord> batch, string fieldPrefix)
    {
        var index = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            index.TryAdd(batch[i].Id, i);
        }

        var records = batch.ToArray();
        var children = new Dictionary<int, List<string>>();
        for (var i = 0; i < records.Length; i++)
        {
            if (records[i].ParentId is { } parentId && index.TryGetValue(parentId, out var parent) && parent != i)
            {
                records[i] = InheritFrom(records[i], records[parent]);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(records[i].Id);
            }
        }

        foreach (var (parent, list) in children)
        {
            var p = records[parent];
            var dependsOn = p.DependsOn.Concat(list.Where(id => !p.DependsOn.Contains(id, StringComparer.Ordinal))).ToArray();
            records[parent] = p with { DependsOn = dependsOn, State = TaskState.Blocked };
        }

        return FindCycle(records, index) is { } cycle
            ? new OperationError(ErrorCodes.DependencyCycle,
                $"The dependencies form a cycle: {string.Join(" -> ", cycle)}; nothing was stored.",
                new Dictionary<string, string[]> { [fieldPrefix + "dependsOn"] = [string.Join(" -> ", cycle)] })
            : records;
    }

    /// <summary>A child takes its parent's correlation id (or the parent's id) unless it names its own.</summary>
    public static TaskRecord InheritFrom(TaskRecord child, TaskRecord parent) =>
        child.CorrelationId is null ? child with { CorrelationId = parent.CorrelationId ?? parent.Id } : child;

    /// <summary>Ids along a cycle of batch-internal dependencies (first id repeated at the end), or null.</summary>
    private static List<string>? FindCycle(TaskRecord[] records, Dictionary<string, int> index)
    {
        var color = new byte[records.Length]; // 0 unseen, 1 on the current path, 2 done
        var path = new List<int>();
        for (var start = 0; start < records.Length; start++)
        {
            if (color[start] != 0)
            {
                continue;
            }

            var stack = new Stack<(int Node, int Next)>();
            stack.Push((start, 0));
            color[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var deps = records[node].DependsOn;
                if (next < deps.Count)
                {
                    stack.Push((node, next + 1));
                    if (!index.TryGetValue(deps[next], out var dep))
                    {
                        continue;
                    }

                    if (color[dep] == 1)
                    {
                        var from = path.IndexOf(dep);
                        return [.. path.Skip(from).Select(i => records[i].Id), records[dep].Id];
                    }

                    if (color[dep] == 0)
                    {
                        color[dep] = 1;
                        path.Add(dep);
                        stack.Push((dep, 0));
                    }

                    continue;
                }

                color[node] = 2;
                path.RemoveAt(path.Count - 1);
            }
        }

        return null;
    }
}
