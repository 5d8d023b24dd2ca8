using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Claims, with the limits and fairness of the embedded store across every node of the schema. The limits come from the
/// database in the claim's transaction (<see cref="PgClaimSql"/>: settings, running counts, token buckets), never from a
/// node's memory; claims of a queue wait for each other only where the queue counts running tasks or spends tokens, and
/// claims of a type only where the type has a concurrency limit. The pick itself is the embedded store's
/// (<see cref="ReadyIndex"/> over the heads read, with this node's <see cref="FairTurns"/>); what a limit held back is
/// reported to <see cref="ClaimHolds"/>.
/// </summary>
public sealed partial class PostgresTaskStore
{
    private readonly FairTurns _turns = new();
    private readonly Lock _turning = new();

    public async Task<ClaimResult> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Null when a limit appeared on a queue or type this claim locked as unlimited: it starts over with the right lock.
            if (await RunAsync((tx, ct) => ClaimOnceAsync(tx, request, ct), cancellationToken) is { } result)
            {
                return result;
            }
        }

        return ClaimResult.Empty;
    }

    private async Task<ClaimResult?> ClaimOnceAsync(PgTransaction tx, ClaimRequest request, CancellationToken ct)
    {
        var exclusive = new HashSet<string>(StringComparer.Ordinal);
        var settings = new List<QueueSettings>();
        var heads = new List<ReadyEntry>();
        var rows = new Dictionary<long, TaskRecord>();
        await using (var open = tx.Command(PgClaimSql.Open))
        {
            open.Parameters.AddWithValue("queues", request.Queues.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
            open.Parameters.AddWithValue("groups", request.Groups.ToArray());
            open.Parameters.AddWithValue("types", request.Types.ToArray());
            open.Parameters.AddWithValue("now", PgTaskRows.Ms(tx.Now));
            open.Parameters.AddWithValue("limit", request.MaxTasks);
            open.Parameters.AddWithValue("budget", request.MaxTasks * PgClaimSql.HeadsPerTask);
            await using var reader = await open.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct); // the plan setting's row
            await ReadLocksAsync(reader, exclusive, ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                settings.Add(ControlColumns.ReadQueue(reader));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (seq, task) = TaskRowReader.Read(reader);
                rows[seq] = task;
                heads.Add(new ReadyEntry(seq, task.Queue, task.Scope, task.Group, task.Type, task.Priority));
            }
        }

        if (settings.Any(s => PgClaimSql.IsSerial(s) && !exclusive.Contains(s.Queue)))
        {
            return null;
        }

        if (heads.Count == 0)
        {
            return ClaimResult.Empty;
        }

        var counts = new PgRunningCounts();
        var limits = new ClaimLimits(counts, time);
        limits.Replace(settings);
        var tokens = new List<long>(Math.Min(heads.Count, request.MaxTasks));
        if (!await ReadLimitsAsync(tx, heads, settings, limits, counts, tokens, request.MaxTasks, ct))
        {
            return null;
        }

        var picked = Pick(request, heads, limits, counts, tx.Now);
        limits.ReportTo(_holds);
        if (picked.Count == 0)
        {
            return ClaimResult.Empty;
        }

        await SaveBucketsAsync(tx, limits, picked.Select(p => p.Queue).Distinct(StringComparer.Ordinal), ct);
        return new ClaimResult(await ApplyClaimsAsync(tx, request, picked, rows, tokens, ct));
    }

    /// <summary>
    /// Locks the heads' types and reads the limits' state into <paramref name="limits"/>, and as many fencing tokens into
    /// <paramref name="tokens"/> as the claim may hand out; false when a type's lock was too weak.
    /// </summary>
    private static async Task<bool> ReadLimitsAsync(
        PgTransaction tx, List<ReadyEntry> heads, List<QueueSettings> settings, ClaimLimits limits, PgRunningCounts counts,
        List<long> tokens, int maxTasks, CancellationToken ct)
    {
        var exclusive = new HashSet<string>(StringComparer.Ordinal);
        await using var command = tx.Command(PgClaimSql.Limits);
        command.Parameters.AddWithValue("types", heads.Select(h => h.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        command.Parameters.AddWithValue("counted", settings.Where(s => PgClaimSql.IsSerial(s) && s.MaxRunning is not null).Select(s => s.Queue).ToArray());
        command.Parameters.AddWithValue("rated", settings.Where(PgClaimSql.IsSerial).Select(s => s.Queue).ToArray());
        command.Parameters.AddWithValue("tokens", Math.Min(heads.Count, maxTasks));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await ReadLocksAsync(reader, exclusive, ct);
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var type = reader.GetString(0);
            if (!exclusive.Contains(type))
            {
                return false;
            }

            limits.SetConcurrency(type, reader.GetInt32(1));
            counts.Types[type] = reader.GetInt64(2);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Queues[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var group = reader.GetString(1);
            limits.Restore(reader.GetString(0), group == PgClaimSql.QueueBucket ? null : group,
                new TokenBucket(new RateLimit(reader.GetInt32(2), reader.GetInt64(3)), reader.GetInt64(4), reader.GetInt64(5)));
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tokens.Add(reader.GetInt64(0));
        }

        return true;
    }

    /// <summary>The heads to claim, in the embedded store's order; spends the limits and this node's turns as it goes.</summary>
    private List<ReadyEntry> Pick(ClaimRequest request, List<ReadyEntry> heads, ClaimLimits limits, PgRunningCounts counts, DateTimeOffset now)
    {
        var bySeq = heads.ToDictionary(h => h.Seq);
        var picked = new List<ReadyEntry>();
        lock (_turning)
        {
            var index = new ReadyIndex(_turns);
            foreach (var head in heads)
            {
                index.Add(head);
            }

            while (picked.Count < request.MaxTasks && index.TakeBest(request.Queues, request.Groups, request.Types, limits, now) is { } seq)
            {
                var head = bySeq[seq];
                limits.Started(head.Queue, head.Group, now);
                counts.Started(head.Queue, head.Type);
                picked.Add(head);
            }
        }

        return picked;
    }

    private static async Task<List<AppliedTransition>> ApplyClaimsAsync(
        PgTransaction tx, ClaimRequest request, List<ReadyEntry> picked, Dictionary<long, TaskRecord> rows, List<long> tokens, CancellationToken ct)
    {
        tokens.Sort(); // handed out in the order of the pick, so a later claimed task always holds a higher token
        var writes = new List<PgWrite>(picked.Count);
        foreach (var seq in picked.Select(p => p.Seq))
        {
            var task = rows[seq];
            var leaseMs = TaskMoves.LeaseLength(task, request.LeaseMs, request.DefaultLeaseMs);
            writes.Add(new PgWrite(seq, TaskMoves.Claim(task, request.WorkerId, tokens[writes.Count], leaseMs, tx.Now), request.WorkerId, null));
        }

        // The heads are locked (FOR UPDATE SKIP LOCKED) and queued: every write holds. The moves are the claim's last
        // statement and carry its COMMIT.
        await tx.ApplyManyAsync(writes, ct, commit: true);
        return writes.Select(w => w.Move).ToList();
    }

    /// <summary>Stores the token buckets of the queues a claim started tasks in, so the next claim on any node goes on from them.</summary>
    private static async Task SaveBucketsAsync(PgTransaction tx, ClaimLimits limits, IEnumerable<string> queues, CancellationToken ct)
    {
        var buckets = queues.SelectMany(q => limits.BucketsOf(q).Select(b => (Queue: q, Group: b.Group ?? PgClaimSql.QueueBucket, b.Bucket))).ToArray();
        if (buckets.Length == 0)
        {
            return;
        }

        await using var save = tx.Command(PgClaimSql.SaveBuckets);
        save.Parameters.AddWithValue("queue", buckets.Select(b => b.Queue).ToArray());
        save.Parameters.AddWithValue("grp", buckets.Select(b => b.Group).ToArray());
        save.Parameters.AddWithValue("tasks", buckets.Select(b => b.Bucket.Rate.Tasks).ToArray());
        save.Parameters.AddWithValue("interval", buckets.Select(b => b.Bucket.Rate.IntervalMs).ToArray());
        save.Parameters.AddWithValue("level", buckets.Select(b => b.Bucket.Level).ToArray());
        save.Parameters.AddWithValue("at", buckets.Select(b => b.Bucket.RefilledAtMs).ToArray());
        await save.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads the (name, locked exclusively) rows of a lock statement into <paramref name="exclusive"/>.</summary>
    private static async Task ReadLocksAsync(NpgsqlDataReader reader, HashSet<string> exclusive, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(1))
            {
                exclusive.Add(reader.GetString(0));
            }
        }
    }
}
