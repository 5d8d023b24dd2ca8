using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>Submission: all tasks of a request or none, with their dependency edges and parent links.</summary>
public sealed partial class PostgresTaskStore
{
    private const string WaitingStates = "('scheduled', 'blocked', 'queued')";

    public Task<Outcome<EnqueueResult>> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken) =>
        IsPlain(request) ? SubmitInBatchAsync(request, cancellationToken) : EnqueueAloneAsync(request, cancellationToken);

    private Task<Outcome<EnqueueResult>> EnqueueAloneAsync(EnqueueRequest request, CancellationToken cancellationToken) =>
        RunRefusableAsync<EnqueueResult>((tx, ct) => EnqueueAsync(tx, request, ct), cancellationToken);

    private static async Task<Outcome<EnqueueResult>> EnqueueAsync(PgTransaction tx, EnqueueRequest request, CancellationToken ct)
    {
        var results = new EnqueuedTask[request.Tasks.Count];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keys = new Dictionary<(string, string), int>();
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var expired = new List<long>();
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            var task = request.Tasks[i];
            if (task.IdempotencyKey is { } key)
            {
                if (keys.TryGetValue((task.Scope, key), out var first))
                {
                    results[i] = new EnqueuedTask(request.Tasks[first], false);
                    continue;
                }

                if (await tx.LoadByIdempotencyKeyAsync(task.Scope, key, ct) is { } existing)
                {
                    if (existing.Task.ResultExpiresAt is not { } expiresAt || expiresAt > tx.Now)
                    {
                        results[i] = new EnqueuedTask(existing.Task, false);
                        continue;
                    }

                    expired.Add(existing.Seq); // its result expired: the key is free again
                }

                keys[(task.Scope, key)] = i;
            }

            if (!ids.Add(task.Id))
            {
                return new OperationError(ErrorCodes.DuplicateId, $"Task id '{task.Id}' appears twice in the batch.");
            }

            added[task.Queue] = added.GetValueOrDefault(task.Queue) + 1;
        }

        Dictionary<string, int> stored = request.StoredLengthsApply ? await StoredLengthsAsync(tx, added.Keys, ct) : [];
        foreach (var (queue, count) in added.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (request.MaxLengthOf(queue, stored.TryGetValue(queue, out var own) ? own : null) is { } limit
                && await WaitingAsync(tx, queue, ct) is var waiting && waiting + count > limit)
            {
                return new OperationError(ErrorCodes.QueueFull,
                    $"Queue '{queue}' is full: it holds {waiting} waiting tasks of at most {limit}; nothing was stored.");
            }
        }

        foreach (var seq in expired)
        {
            await tx.DeleteAsync(seq, ct);
        }

        var fresh = new List<(TaskRecord Task, int Index)>();
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            if (results[i] is null)
            {
                var task = await WithParentAsync(tx, request.Tasks, results, i, ct);
                fresh.Add((task, i));
                results[i] = new EnqueuedTask(task, true);
            }
        }

        var seqs = await InsertOrRefuseAsync(tx, fresh.Select(f => f.Task).ToArray(), request.Actor, ct);
        var inserted = fresh.Select((f, n) => (Seq: seqs[n], f.Task, f.Index)).ToList();
        var seqOf = inserted.ToDictionary(t => t.Task.Id, t => t.Seq, StringComparer.Ordinal);

        foreach (var (seq, task, _) in inserted.Where(t => t.Task.DependsOn.Count > 0))
        {
            var deps = new List<long>(task.DependsOn.Count);
            foreach (var id in task.DependsOn)
            {
                deps.Add(await DependencySeqAsync(tx, seqOf, task, id, request, results, ct));
            }

            await tx.InsertDependenciesAsync(seq, deps, ct);
        }

        var transitions = inserted.Select(t => new AppliedTransition(t.Task, null, TaskTrigger.Submit)).ToList();

        // Tasks whose dependencies were all done (or one already failed) move on at once, in the same transaction.
        foreach (var (seq, task, index) in inserted.Where(t => t.Task.State == TaskState.Blocked))
        {
            if (await tx.ResolveBlockedAsync(seq, request.ResultTtlMs, ct) is { } move)
            {
                transitions.Add(move);
                results[index] = new EnqueuedTask(move.Task, true);
            }
        }

        return new EnqueueResult(results, transitions);
    }

    /// <summary>The length limits stored for <paramref name="queues"/> (those that have one), read in the submit's transaction.</summary>
    private static async Task<Dictionary<string, int>> StoredLengthsAsync(PgTransaction tx, IEnumerable<string> queues, CancellationToken ct)
    {
        await using var command = tx.Command("SELECT queue, max_length FROM queue_settings WHERE queue = ANY(@queues) AND max_length IS NOT NULL");
        command.Parameters.AddWithValue("queues", queues.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lengths = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            lengths[reader.GetString(0)] = reader.GetInt32(1);
        }

        return lengths;
    }

    /// <summary>Waiting tasks of a queue, counted under a per-queue lock so that two nodes cannot both fill its last place.</summary>
    private static async Task<long> WaitingAsync(PgTransaction tx, string queue, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"SELECT pg_advisory_xact_lock({PgLocks.Key(PgLocks.QueueLength, "@queue")}); " +
            $"SELECT count(*) FROM tasks WHERE queue = @queue AND state IN {WaitingStates}");
        command.Parameters.AddWithValue("queue", queue);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0);
    }

    /// <summary>
    /// The task with its parent's correlation id, once the parent (stored by this batch, or before) is known to exist.
    /// A task of the batch that its idempotency key replayed is not stored by it, so it is no parent by its batch id.
    /// </summary>
    private static async Task<TaskRecord> WithParentAsync(
        PgTransaction tx, IReadOnlyList<TaskRecord> batch, EnqueuedTask?[] results, int index, CancellationToken ct)
    {
        var task = batch[index];
        if (task.ParentId is not { } parentId || batch.Where((_, j) => results[j]?.Created != false).Any(t => t.Id == parentId))
        {
            return task; // a parent of the same batch was linked by Flows.Link
        }

        if (await tx.LoadByIdAsync(parentId, ct) is not { } parent || parent.Task.ResultExpiresAt <= tx.Now)
        {
            throw new PgRefusedException(EnqueueRefusals.ParentNotFound(task, parentId, batch, results));
        }

        return Flows.InheritFrom(task, parent.Task);
    }

    private static async Task<long> DependencySeqAsync(
        PgTransaction tx, Dictionary<string, long> batch, TaskRecord task, string id, EnqueueRequest request, EnqueuedTask?[] results, CancellationToken ct)
    {
        if (batch.TryGetValue(id, out var seq))
        {
            return seq;
        }

        await using var command = tx.Command("SELECT seq FROM tasks WHERE id = @id AND (result_expires_at IS NULL OR result_expires_at > @now)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", PgTaskRows.Ms(tx.Now));
        return await command.ExecuteScalarAsync(ct) is long stored
            ? stored
            : throw new PgRefusedException(EnqueueRefusals.DependencyNotFound(task, id, request.Tasks, results));
    }

    private static async Task<long[]> InsertOrRefuseAsync(PgTransaction tx, IReadOnlyList<TaskRecord> tasks, string? actor, CancellationToken ct)
    {
        var (seqs, duplicate) = await tx.InsertManyAsync(tasks, actor, ct);
        return duplicate is null
            ? seqs
            : throw new PgRefusedException(new OperationError(ErrorCodes.DuplicateId, $"A task with id '{duplicate}' already exists; nothing was stored."));
    }
}
