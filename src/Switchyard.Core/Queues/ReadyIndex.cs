using Switchyard.Core.Model;

namespace Switchyard.Core.Queues;

/// <summary>
/// Queued tasks in memory, so a claim takes the next task without scanning a table. Per queue, tasks are bucketed by
/// scope (tenant), then group, then type. A claim serves the scopes of a queue in weighted round robin
/// (<see cref="FairShare"/>: one tenant's flood does not starve another); within a scope, the highest priority then the
/// oldest task goes first (the queue head), except that in a queue with group weights the groups of equal priority take
/// turns by weight. Across the queues a worker names, the higher priority (then the older task) wins. Buckets a limit
/// closes (<see cref="ClaimLimits"/>) are passed over. The SQLite store keeps every queued task here; the PostgreSQL
/// store fills one per claim with the heads of the buckets it read. Whose turn it is lives in <see cref="FairTurns"/>,
/// which outlives the index. Entries may be stale (the task was cancelled meanwhile); the claim's compare-and-set skips
/// them. Not thread-safe.
/// </summary>
public sealed class ReadyIndex(FairTurns turns)
{
    private readonly Dictionary<string, QueueNode> _queues = new(StringComparer.Ordinal);

    public ReadyIndex()
        : this(new FairTurns())
    {
    }

    public long Count { get; private set; }

    public void Clear()
    {
        _queues.Clear();
        Count = 0;
    }

    public void Add(long seq, TaskRecord task) => Add(new ReadyEntry(seq, task.Queue, task.Scope, task.Group, task.Type, task.Priority));

    public void Add(ReadyEntry entry)
    {
        var queue = Child(_queues, entry.Queue, name => new QueueNode(name));
        var scope = Child(queue.Scopes, entry.Scope, name => new ScopeNode(name));
        var group = Child(scope.Groups, entry.Group, name => new GroupNode(name));
        var bucket = group.Types.Find(b => b.Type == entry.Type);
        if (bucket is null)
        {
            bucket = new TypeBucket(entry.Type);
            group.Types.Add(bucket);
        }

        bucket.Entries.Enqueue(entry.Seq, (-(long)entry.Priority, entry.Seq));
        queue.Count++;
        scope.Count++;
        group.Count++;
        Count++;
    }

    /// <summary>Removes and returns the next entry a worker may take that no limit holds back, or null when there is none.</summary>
    public long? TakeBest(
        IReadOnlyList<string> queues, IReadOnlyList<string> groups, IReadOnlyList<string> types, ClaimLimits limits, DateTimeOffset now)
    {
        Pick? best = null;
        foreach (var name in queues)
        {
            if (_queues.TryGetValue(name, out var queue) && queue.Count > 0
                && PickIn(queue, groups, types, limits, now) is { } pick
                && (best is not { } b || (pick.NegPriority, pick.Seq).CompareTo((b.NegPriority, b.Seq)) < 0))
            {
                best = pick;
            }
        }

        return best is { } chosen ? Take(chosen, limits) : null;
    }

    private Pick? PickIn(QueueNode queue, IReadOnlyList<string> groups, IReadOnlyList<string> types, ClaimLimits limits, DateTimeOffset now)
    {
        bool? open = null;
        var groupTurns = limits.WeighsGroups(queue.Name);
        var scopeTurns = turns.Scopes(queue.Name);
        Pick? best = null;
        foreach (var scope in queue.Scopes.Values)
        {
            Pick? inScope = null;
            foreach (var group in scope.Groups.Values)
            {
                if (group.Name != TaskDefaults.Group && !Contains(groups, group.Name))
                {
                    continue;
                }

                TypeBucket? bucket = null;
                (long NegPriority, long Seq) key = default;
                foreach (var candidate in group.Types)
                {
                    if (candidate.Entries.Count == 0 || (types.Count > 0 && !Contains(types, candidate.Type)))
                    {
                        continue;
                    }

                    // Only now is there a task this worker could take: ask (once) whether the queue hands anything out.
                    open ??= limits.QueueOpen(queue.Name, now);
                    if (!open.Value)
                    {
                        return null;
                    }

                    if (!limits.Allows(queue.Name, group.Name, candidate.Type, now) || !candidate.Entries.TryPeek(out _, out var head))
                    {
                        continue;
                    }

                    if (bucket is null || head.CompareTo(key) < 0)
                    {
                        (bucket, key) = (candidate, head);
                    }
                }

                if (bucket is not null)
                {
                    var pick = new Pick(queue, scope, group, bucket, key.NegPriority, key.Seq);
                    if (inScope is not { } other || pick.NegPriority < other.NegPriority
                        || (pick.NegPriority == other.NegPriority && (groupTurns
                            ? turns.Groups(queue.Name, scope.Name).Precedes(group.Name, pick.Seq, other.Group.Name, other.Seq)
                            : pick.Seq < other.Seq)))
                    {
                        inScope = pick;
                    }
                }
            }

            if (inScope is { } found && (best is not { } b || scopeTurns.Precedes(scope.Name, found.Seq, b.Scope.Name, b.Seq)))
            {
                best = found;
            }
        }

        return best;
    }

    private long Take(Pick pick, ClaimLimits limits)
    {
        var (queue, scope, group, bucket) = (pick.Queue, pick.Scope, pick.Group, pick.Bucket);
        var seq = bucket.Entries.Dequeue();
        turns.Scopes(queue.Name).Served(scope.Name, limits.ScopeWeight(queue.Name, scope.Name));
        if (limits.WeighsGroups(queue.Name))
        {
            turns.Groups(queue.Name, scope.Name).Served(group.Name, limits.GroupWeight(queue.Name, group.Name));
        }

        queue.Count--;
        scope.Count--;
        group.Count--;
        Count--;
        if (bucket.Entries.Count == 0)
        {
            group.Types.Remove(bucket);
        }

        if (group.Count == 0)
        {
            scope.Groups.Remove(group.Name);
        }

        if (scope.Count == 0)
        {
            queue.Scopes.Remove(scope.Name); // its pass stays in the turns: leaving and coming back earns no turn
        }

        return seq;
    }

    private static T Child<T>(Dictionary<string, T> children, string name, Func<string, T> create)
    {
        if (!children.TryGetValue(name, out var child))
        {
            children[name] = child = create(name);
        }

        return child;
    }

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

    private readonly record struct Pick(QueueNode Queue, ScopeNode Scope, GroupNode Group, TypeBucket Bucket, long NegPriority, long Seq);

    private sealed class QueueNode(string name)
    {
        public string Name { get; } = name;

        public long Count { get; set; }

        public Dictionary<string, ScopeNode> Scopes { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ScopeNode(string name)
    {
        public string Name { get; } = name;

        public long Count { get; set; }

        public Dictionary<string, GroupNode> Groups { get; } = new(StringComparer.Ordinal);
    }

    private sealed class GroupNode(string name)
    {
        public string Name { get; } = name;

        public long Count { get; set; }

        public List<TypeBucket> Types { get; } = [];
    }

    private sealed class TypeBucket(string type)
    {
        public string Type { get; } = type;

        public PriorityQueue<long, (long NegPriority, long Seq)> Entries { get; } = new();
    }
}
