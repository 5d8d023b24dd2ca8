using Switchyard.Core.Model;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The queued tasks, in memory, bucketed by (queue, group, type) and ordered by priority (higher first)
/// then arrival, so a claim takes the best task without scanning the table. Owned by the writer thread.
/// Entries may be stale (the task was cancelled meanwhile); the claim's compare-and-set skips them.
/// </summary>
internal sealed class ReadyIndex
{
    private readonly Dictionary<string, List<Bucket>> _byQueue = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    public void Clear()
    {
        _byQueue.Clear();
        Count = 0;
    }

    public void Add(long seq, TaskRecord task) => Add(new ReadyEntry(seq, task.Queue, task.Group, task.Type, task.Priority));

    public void Add(ReadyEntry entry)
    {
        if (!_byQueue.TryGetValue(entry.Queue, out var buckets))
        {
            _byQueue[entry.Queue] = buckets = [];
        }

        var bucket = buckets.Find(b => b.Group == entry.Group && b.Type == entry.Type);
        if (bucket is null)
        {
            bucket = new Bucket(entry.Group, entry.Type);
            buckets.Add(bucket);
        }

        bucket.Entries.Enqueue(entry.Seq, (-(long)entry.Priority, entry.Seq));
        Count++;
    }

    /// <summary>Removes and returns the best entry a worker may take, or null when there is none.</summary>
    public long? TakeBest(IReadOnlyList<string> queues, IReadOnlyList<string> groups, IReadOnlyList<string> types)
    {
        Bucket? best = null;
        (long, long) bestKey = default;
        foreach (var queue in queues)
        {
            if (!_byQueue.TryGetValue(queue, out var buckets))
            {
                continue;
            }

            foreach (var bucket in buckets)
            {
                if (bucket.Entries.Count == 0 || !Eligible(bucket, groups, types)
                    || !bucket.Entries.TryPeek(out _, out var key))
                {
                    continue;
                }

                if (best is null || key.CompareTo(bestKey) < 0)
                {
                    best = bucket;
                    bestKey = key;
                }
            }
        }

        if (best is null)
        {
            return null;
        }

        Count--;
        return best.Entries.Dequeue();
    }

    private static bool Eligible(Bucket bucket, IReadOnlyList<string> groups, IReadOnlyList<string> types) =>
        (bucket.Group == TaskDefaults.Group || Contains(groups, bucket.Group)) && (types.Count == 0 || Contains(types, bucket.Type));

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

    private sealed class Bucket(string group, string type)
    {
        public string Group { get; } = group;

        public string Type { get; } = type;

        public PriorityQueue<long, (long NegPriority, long Seq)> Entries { get; } = new();
    }
}

/// <summary>A queued task as the ready index knows it.</summary>
internal readonly record struct ReadyEntry(long Seq, string Queue, string Group, string Type, int Priority);
