using Switchyard.Core.Types;

namespace Switchyard.Core.Queues;

/// <summary>
/// The limits a store's claim path enforces before it hands out a task: paused queues, running tasks per queue and
/// per type, tasks started per interval per queue and per (queue, group), and the fairness weights. It remembers
/// why it said no during a claim, for <see cref="ClaimHolds"/>. Not thread-safe: a store calls it from the one place
/// that claims (the SQLite writer thread), and keeps it in step with what it has stored.
/// </summary>
public sealed class ClaimLimits(IRunningCounts running, TimeProvider time)
{
    private readonly Dictionary<string, QueueLimit> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _typeConcurrency = new(StringComparer.Ordinal);
    private DateTimeOffset? _tokenDue;
    private bool _heldByCapacity;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The settings of <paramref name="queue"/> (defaults when none are stored).</summary>
    public QueueSettings SettingsOf(string queue) => _queues.TryGetValue(queue, out var q) ? q.Settings : QueueSettings.Default(queue);

    /// <summary>Makes <paramref name="all"/> the settings of every queue (others fall back to defaults); unchanged rates keep their buckets.</summary>
    public void Replace(IEnumerable<QueueSettings> all)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var settings in all)
        {
            Set(settings);
            kept.Add(settings.Queue);
        }

        foreach (var gone in _queues.Keys.Where(q => !kept.Contains(q)).ToArray())
        {
            _queues.Remove(gone);
        }
    }

    /// <summary>Makes <paramref name="all"/> the per-type running limits.</summary>
    public void ReplaceTypes(IEnumerable<TaskTypeDefinition> all)
    {
        _typeConcurrency.Clear();
        foreach (var definition in all)
        {
            SetType(definition);
        }
    }

    /// <summary>Applies stored settings; token buckets whose rate did not change keep their level.</summary>
    public void Set(QueueSettings settings)
    {
        _queues.TryGetValue(settings.Queue, out var old);
        var now = Now;
        var buckets = new Dictionary<string, TokenBucket>(StringComparer.Ordinal);
        foreach (var (group, rate) in settings.GroupRates)
        {
            buckets[group] = old?.GroupBuckets.GetValueOrDefault(group) is { } kept && kept.Rate == rate ? kept : new TokenBucket(rate, now);
        }

        var bucket = settings.Rate is not { } r ? null : old?.Bucket is { } same && same.Rate == r ? same : new TokenBucket(r, now);
        _queues[settings.Queue] = new QueueLimit(settings, bucket, buckets);
    }

    /// <summary>
    /// Puts a bucket a store kept in place of the one for <paramref name="queue"/>'s rate (<paramref name="group"/> null)
    /// or its group's rate, when it was made for the rate the settings name now; otherwise the settings' full bucket stays.
    /// </summary>
    public void Restore(string queue, string? group, TokenBucket bucket)
    {
        if (!_queues.TryGetValue(queue, out var q))
        {
            return;
        }

        if (group is null)
        {
            if (q.Settings.Rate == bucket.Rate)
            {
                _queues[queue] = q with { Bucket = bucket };
            }
        }
        else if (q.Settings.GroupRates.TryGetValue(group, out var rate) && rate == bucket.Rate)
        {
            q.GroupBuckets[group] = bucket;
        }
    }

    /// <summary>The token buckets of <paramref name="queue"/>: its own (group null) and its groups'.</summary>
    public IEnumerable<(string? Group, TokenBucket Bucket)> BucketsOf(string queue)
    {
        if (!_queues.TryGetValue(queue, out var q))
        {
            yield break;
        }

        if (q.Bucket is { } own)
        {
            yield return (null, own);
        }

        foreach (var (group, bucket) in q.GroupBuckets)
        {
            yield return (group, bucket);
        }
    }

    public void SetType(TaskTypeDefinition definition) => SetConcurrency(definition.Type, definition.Concurrency);

    public void SetConcurrency(string type, int? limit)
    {
        if (limit is { } n)
        {
            _typeConcurrency[type] = n;
        }
        else
        {
            _typeConcurrency.Remove(type);
        }
    }

    public int ScopeWeight(string queue, string scope) =>
        _queues.TryGetValue(queue, out var q) && q.Settings.ScopeWeights.TryGetValue(scope, out var w) ? w : 1;

    /// <summary>Whether the groups of <paramref name="queue"/> take turns (it sets group weights); else its head goes first whatever its group.</summary>
    public bool WeighsGroups(string queue) => _queues.TryGetValue(queue, out var q) && q.Settings.GroupWeights.Count > 0;

    public int GroupWeight(string queue, string group) =>
        _queues.TryGetValue(queue, out var q) && q.Settings.GroupWeights.TryGetValue(group, out var w) ? w : 1;

    /// <summary>Whether <paramref name="queue"/> may start a task at <paramref name="now"/>: not paused, under its running limit, a token left.</summary>
    public bool QueueOpen(string queue, DateTimeOffset now)
    {
        if (!_queues.TryGetValue(queue, out var q) || q.Settings.IsOpen)
        {
            return true;
        }

        if (q.Settings.Paused)
        {
            return false; // resuming wakes the claimers
        }

        if (q.Settings.MaxRunning is { } max && running.RunningIn(queue) >= max)
        {
            _heldByCapacity = true;
            return false;
        }

        return q.Bucket is not { } bucket || HasToken(bucket, now);
    }

    /// <summary>Whether a task of <paramref name="group"/> and <paramref name="type"/> may start in an open queue.</summary>
    public bool Allows(string queue, string group, string type, DateTimeOffset now)
    {
        if (_typeConcurrency.Count > 0 && _typeConcurrency.TryGetValue(type, out var limit) && running.RunningOf(type) >= limit)
        {
            _heldByCapacity = true;
            return false;
        }

        return !_queues.TryGetValue(queue, out var q) || !q.GroupBuckets.TryGetValue(group, out var bucket) || HasToken(bucket, now);
    }

    /// <summary>A task of <paramref name="queue"/> and <paramref name="group"/> started: it spends its tokens.</summary>
    public void Started(string queue, string group, DateTimeOffset now)
    {
        if (!_queues.TryGetValue(queue, out var q))
        {
            return;
        }

        q.Bucket?.TryTake(now);
        if (q.GroupBuckets.TryGetValue(group, out var bucket))
        {
            bucket.TryTake(now);
        }
    }

    /// <summary>Hands what was held back since the last call to <paramref name="holds"/>, and forgets it.</summary>
    public void ReportTo(ClaimHolds holds)
    {
        if (_tokenDue is null && !_heldByCapacity)
        {
            return;
        }

        holds.Report(_tokenDue, _heldByCapacity);
        _tokenDue = null;
        _heldByCapacity = false;
    }

    private bool HasToken(TokenBucket bucket, DateTimeOffset now)
    {
        if (bucket.CanTake(now))
        {
            return true;
        }

        var due = bucket.NextTokenAt(now);
        if (_tokenDue is not { } current || due < current)
        {
            _tokenDue = due;
        }

        return false;
    }

    private sealed record QueueLimit(QueueSettings Settings, TokenBucket? Bucket, Dictionary<string, TokenBucket> GroupBuckets);
}
