using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// One store call's transaction: loads rows (locking those it will move), applies moves by compare-and-set with their
/// history rows, and resolves dependents, exactly as the embedded store's writer does.
/// </summary>
internal sealed class PgTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now)
{
    private const string History =
        "INSERT INTO task_history (task_seq, at, event, from_state, to_state, actor, reason, attempt) " +
        "VALUES (@seq, @at, @event, @from, @to, @actor, @reason, @attempt) RETURNING id";

    public DateTimeOffset Now { get; } = now;

    /// <summary>The moves this transaction wrote, in the order written, each with its history row's id (the cluster announces them).</summary>
    public List<PgMove> Moves { get; } = [];

    /// <summary>A statement of this transaction has sent its <c>COMMIT</c>: from then on its outcome may be unknown after an error.</summary>
    public bool Committing { get; private set; }

    /// <summary>The transaction committed with its last statement (<see cref="ApplyManyAsync"/> with commit): nothing is left to commit.</summary>
    public bool Committed { get; private set; }

    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    public Task<(long Seq, TaskRecord Task)?> LoadByIdAsync(string id, CancellationToken cancellationToken) =>
        LoadOneAsync($"SELECT {PgTaskRows.Columns} FROM tasks WHERE id = @id FOR UPDATE", "id", id, cancellationToken);

    public Task<(long Seq, TaskRecord Task)?> LoadBySeqAsync(long seq, CancellationToken cancellationToken) =>
        LoadOneAsync($"SELECT {PgTaskRows.Columns} FROM tasks WHERE seq = @seq FOR UPDATE", "seq", seq, cancellationToken);

    /// <summary>
    /// The rows of <paramref name="ids"/> that exist, locked in seq order (the order every batch locks in), and in the same
    /// round trip the seqs of those tasks that some blocked task waits for, asked once the rows are locked.
    /// </summary>
    public async Task<(Dictionary<string, (long Seq, TaskRecord Task)> Rows, HashSet<long> Awaited)> LoadByIdsWithAwaitedAsync(
        string[] ids, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var load = new NpgsqlBatchCommand($"SELECT {PgTaskRows.Columns} FROM tasks WHERE id = ANY(@ids) ORDER BY seq FOR UPDATE");
        load.Parameters.AddWithValue("ids", ids);
        var awaitedBy = new NpgsqlBatchCommand(
            "SELECT DISTINCT d.dep_seq FROM tasks r JOIN task_dependencies d ON d.dep_seq = r.seq JOIN tasks t ON t.seq = d.task_seq " +
            "WHERE r.id = ANY(@ids) AND t.state = 'blocked'");
        awaitedBy.Parameters.AddWithValue("ids", ids);
        batch.BatchCommands.Add(load);
        batch.BatchCommands.Add(awaitedBy);
        var rows = new Dictionary<string, (long Seq, TaskRecord Task)>(ids.Length, StringComparer.Ordinal);
        var awaited = new HashSet<long>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = TaskRowReader.Read(reader);
            rows[row.Task.Id] = row;
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            awaited.Add(reader.GetInt64(0));
        }

        return (rows, awaited);
    }

    public async Task<(long Seq, TaskRecord Task)?> LoadByIdempotencyKeyAsync(string scope, string key, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {PgTaskRows.Columns} FROM tasks WHERE scope = @scope AND idempotency_key = @key FOR UPDATE");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("key", key);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Rows of <paramref name="command"/> (which selects <see cref="PgTaskRows.Columns"/>), in its order.</summary>
    public static async Task<List<(long Seq, TaskRecord Task)>> LoadManyAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long, TaskRecord)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(TaskRowReader.Read(reader));
        }

        return rows;
    }

    /// <summary>
    /// Inserts new tasks, each with its "submitted" history row, a thousand per statement (<see cref="PgBulkInsert"/>);
    /// returns their seqs in order, or the id of the first task whose id is taken (then the caller refuses the submit
    /// and the transaction rolls back).
    /// </summary>
    public async Task<(long[] Seqs, string? Duplicate)> InsertManyAsync(IReadOnlyList<TaskRecord> tasks, string? actor, CancellationToken cancellationToken)
    {
        var seqs = new long[tasks.Count];
        for (var start = 0; start < tasks.Count; start += PgBulkInsert.MaxRows)
        {
            var chunk = tasks.Skip(start).Take(PgBulkInsert.MaxRows).ToArray();
            var inserted = await PgBulkInsert.RunAsync(connection, transaction, chunk, actor, cancellationToken);
            if (inserted.Duplicate is { } taken)
            {
                return (seqs, taken);
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var (seq, historyId) = inserted.Rows[chunk[i].Id];
                seqs[start + i] = seq;
                Moves.Add(new PgMove(historyId, chunk[i], null, TaskTrigger.Submit, null)); // announced at commit
            }
        }

        return (seqs, null);
    }

    /// <summary>
    /// Inserts new tasks (at most <see cref="PgBulkInsert.MaxRows"/>) and commits in one round trip
    /// (<see cref="PgBulkInsert.RunAtOnceAsync"/>): false when a queue of <paramref name="guarded"/> has a stored length
    /// limit and nothing was inserted. The transaction is over either way.
    /// <para>
    /// Unlike a move's, this <c>COMMIT</c> does not make the outcome of a lost connection unknown to the caller's retry
    /// (<see cref="Committing"/> stays false): run again, an insert that did commit fails on its taken ids and commits
    /// nothing, so a task is never stored twice (the caller then asks <see cref="FindEarlierSubmitAsync"/>), and a
    /// database that was away gets the submit once it is back.
    /// </para>
    /// </summary>
    public async Task<bool> InsertAtOnceAsync(IReadOnlyList<TaskRecord> tasks, string? actor, string[] guarded, CancellationToken cancellationToken)
    {
        var inserted = await PgBulkInsert.RunAtOnceAsync(connection, transaction, tasks, actor, guarded, cancellationToken);
        Committed = true;
        if (inserted is null)
        {
            return false;
        }

        foreach (var task in tasks)
        {
            Moves.Add(new PgMove(inserted[task.Id].HistoryId, task, null, TaskTrigger.Submit, null)); // announced after the commit
        }

        return true;
    }

    /// <summary>
    /// Whether every one of <paramref name="tasks"/> is stored already as this very submit stored it (same creation
    /// time, type, queue, payload and submitting actor): what an earlier run of the same call left when it committed but
    /// the connection was lost before the answer came. If so, their submit moves join <see cref="Moves"/>, to be
    /// announced after this transaction as they would have been after that one.
    /// </summary>
    public async Task<bool> FindEarlierSubmitAsync(IReadOnlyList<TaskRecord> tasks, string? actor, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT t.id, t.created_at, t.type, t.queue, t.payload, h.actor, h.id FROM tasks t " +
            "JOIN task_history h ON h.task_seq = t.seq AND h.event = @event AND h.from_state IS NULL WHERE t.id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", tasks.Select(t => t.Id).ToArray());
        command.Parameters.AddWithValue("event", TaskTrigger.Submit.ToEventName());
        var wanted = tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var task = wanted[reader.GetString(0)];
                var same = reader.GetInt64(1) == PgTaskRows.Ms(task.CreatedAt)
                    && reader.GetString(2) == task.Type
                    && reader.GetString(3) == task.Queue
                    && reader.GetString(4) == (task.Payload.Raw ?? "null")
                    && (reader.IsDBNull(5) ? null : reader.GetString(5)) == actor;
                if (!same)
                {
                    return false;
                }

                found[task.Id] = reader.GetInt64(6);
            }
        }

        if (found.Count != tasks.Count)
        {
            return false;
        }

        foreach (var task in tasks)
        {
            Moves.Add(new PgMove(found[task.Id], task, null, TaskTrigger.Submit, null));
        }

        return true;
    }

    /// <summary>Writes <paramref name="move"/> if the row is still in the state it was read in, with its history row.</summary>
    public async Task<bool> ApplyAsync(long seq, AppliedTransition move, string? actor, string? reason, CancellationToken cancellationToken)
    {
        if (!await UpdateAsync(seq, move.Task, move.From!.Value, cancellationToken))
        {
            return false;
        }

        await WriteHistoryAsync(seq, move.Task, move.From, move.Trigger, actor, reason, cancellationToken);
        return true;
    }

    /// <summary>
    /// <see cref="ApplyAsync"/>, then resolves the tasks blocked on a task the move ended (or, for a retry into
    /// <c>blocked</c>, the task itself), transitively. Null when the compare-and-set lost.
    /// </summary>
    public async Task<AppliedTransition?> ApplyAndResolveAsync(
        long seq, AppliedTransition move, string? actor, string? reason, long resultTtlMs, CancellationToken cancellationToken)
    {
        if (!await ApplyAsync(seq, move, actor, reason, cancellationToken))
        {
            return null;
        }

        return await ResolveAfterAsync(seq, move, resultTtlMs, cancellationToken);
    }

    /// <summary>
    /// Writes many moves of rows this transaction has locked, each with its history row, in one statement (one more for each
    /// task written again), in order.
    /// Throws when a compare-and-set finds its row in another state (the rows were not locked, a bug). With
    /// <paramref name="commit"/>, the last statement carries the transaction's <c>COMMIT</c> (one round trip less): the
    /// caller writes nothing after it.
    /// </summary>
    public async Task ApplyManyAsync(IReadOnlyList<PgWrite> writes, CancellationToken cancellationToken, bool commit = false)
    {
        var seqs = new HashSet<long>();
        var first = 0;
        for (var i = 0; i <= writes.Count; i++)
        {
            if (i < writes.Count && seqs.Add(writes[i].Seq))
            {
                continue;
            }

            if (i == first)
            {
                break; // no writes at all
            }

            // writes[first..i] hold distinct seqs: one statement; a seq seen again starts the next one (it expects this one's move)
            var part = writes.Skip(first).Take(i - first).ToArray();
            var last = commit && i == writes.Count;
            Committing |= last;
            var ids = await PgManyMoves.RunAsync(connection, transaction, part, last, cancellationToken)
                ?? throw new InvalidOperationException($"A task among seqs {string.Join(", ", part.Select(w => w.Seq))} was not in the state it was read in, although locked.");
            foreach (var write in part)
            {
                Moves.Add(new PgMove(ids[write.Seq], write.Move.Task, write.Move.From, write.Move.Trigger, write.Reason));
            }

            Committed |= last;
            seqs.Clear();
            if (i < writes.Count)
            {
                seqs.Add(writes[i].Seq);
            }

            first = i;
        }
    }

    /// <summary>
    /// The consequences of a move just written: when it ended the task, the tasks blocked on it are resolved
    /// (released, failed or cancelled by their policy), transitively; when it blocked the task (a retry), the task itself.
    /// </summary>
    public async Task<AppliedTransition> ResolveAfterAsync(long seq, AppliedTransition move, long resultTtlMs, CancellationToken cancellationToken)
    {
        if (move.Task.State.IsTerminal())
        {
            var moves = new List<AppliedTransition>();
            foreach (var dependent in await BlockedDependentsAsync(seq, cancellationToken))
            {
                if (await ResolveBlockedAsync(dependent, resultTtlMs, cancellationToken) is { } next)
                {
                    moves.Add(next);
                }
            }

            return move with { Consequences = moves };
        }

        return move.Task.State == TaskState.Blocked && await ResolveBlockedAsync(seq, resultTtlMs, cancellationToken) is { } self
            ? move with { Consequences = [self] }
            : move;
    }

    /// <summary>Moves a blocked task on if its dependencies allow it; returns the move (with its consequences) or null.</summary>
    public async Task<AppliedTransition?> ResolveBlockedAsync(long seq, long resultTtlMs, CancellationToken cancellationToken)
    {
        if (await LoadBySeqAsync(seq, cancellationToken) is not { Task.State: TaskState.Blocked } row)
        {
            return null;
        }

        await using var command = Command(
            $"SELECT {PgTaskRows.Columns} FROM tasks WHERE seq IN (SELECT dep_seq FROM task_dependencies WHERE task_seq = @seq)");
        command.Parameters.AddWithValue("seq", seq);
        var dependencies = (await LoadManyAsync(command, cancellationToken)).Select(d => d.Task);
        var verdict = DependencyResolution.Decide(row.Task, dependencies, out var failed);
        return DependencyResolution.MoveFor(row.Task, verdict, failed, resultTtlMs, Now) is { } move
            ? await ApplyAndResolveAsync(seq, move, "switchyard", move.Task.Error?.Message, resultTtlMs, cancellationToken)
            : null;
    }

    public async Task InsertDependenciesAsync(long seq, IReadOnlyList<long> dependencySeqs, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "INSERT INTO task_dependencies (task_seq, dep_seq) SELECT @seq, unnest(@deps) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("seq", seq);
        command.Parameters.AddWithValue("deps", dependencySeqs.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rewrites a task's mutable columns (a move, or a heartbeat) if it is still in <paramref name="expected"/>.</summary>
    public async Task<bool> UpdateAsync(long seq, TaskRecord task, TaskState expected, CancellationToken cancellationToken)
    {
        await using var command = Command(PgTaskRows.Update);
        PgTaskRows.BindUpdate(command, seq, task, expected);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes a task with its history and dependency rows; returns the history id of its last move (0 when it had none).</summary>
    public async Task<long> DeleteAsync(long seq, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "WITH h AS (DELETE FROM task_history WHERE task_seq = @seq RETURNING id) SELECT coalesce(max(id), 0) FROM h; " +
            "DELETE FROM task_dependencies WHERE task_seq = @seq OR dep_seq = @seq; DELETE FROM tasks WHERE seq = @seq");
        command.Parameters.AddWithValue("seq", seq);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary><paramref name="count"/> new fencing tokens in one round trip.</summary>
    public async Task<long[]> NextFencingTokensAsync(int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return [];
        }

        await using var command = Command("SELECT nextval('fencing_token') FROM generate_series(1, @count)");
        command.Parameters.AddWithValue("count", count);
        var tokens = new long[count];
        var next = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens[next++] = reader.GetInt64(0);
        }

        return tokens;
    }

    /// <summary>Seqs of the stored rows that <paramref name="sql"/> selects (first column), with its <c>@now</c> and <c>@limit</c>.</summary>
    public async Task<List<long>> SelectSeqsAsync(string sql, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        command.Parameters.AddWithValue("now", PgTaskRows.Ms(Now));
        command.Parameters.AddWithValue("limit", limit);
        var seqs = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    private async Task<List<long>> BlockedDependentsAsync(long seq, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT d.task_seq FROM task_dependencies d JOIN tasks t ON t.seq = d.task_seq " +
            "WHERE d.dep_seq = @seq AND t.state = 'blocked' ORDER BY d.task_seq");
        command.Parameters.AddWithValue("seq", seq);
        var seqs = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    private async Task WriteHistoryAsync(
        long seq, TaskRecord task, TaskState? from, TaskTrigger trigger, string? actor, string? reason, CancellationToken cancellationToken)
    {
        await using var command = Command(History);
        BindHistory(command.Parameters, seq, task, from, trigger, actor, reason);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        Moves.Add(new PgMove(id, task, from, trigger, reason));
    }

    private static void BindHistory(
        NpgsqlParameterCollection parameters, long seq, TaskRecord task, TaskState? from, TaskTrigger trigger, string? actor, string? reason)
    {
        PgTaskRows.Typed(parameters, "seq", seq);
        PgTaskRows.Typed(parameters, "at", PgTaskRows.Ms(task.UpdatedAt));
        PgTaskRows.Typed(parameters, "event", trigger.ToEventName());
        PgTaskRows.Typed(parameters, "from", from?.ToName());
        PgTaskRows.Typed(parameters, "to", task.State.ToName());
        PgTaskRows.Typed(parameters, "actor", actor);
        PgTaskRows.Typed(parameters, "reason", reason);
        PgTaskRows.Typed(parameters, "attempt", task.Attempt);
    }

    private async Task<(long Seq, TaskRecord Task)?> LoadOneAsync(string sql, string name, object value, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        command.Parameters.AddWithValue(name, value);
        return await ReadOneAsync(command, cancellationToken);
    }

    private static async Task<(long Seq, TaskRecord Task)?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return TaskRowReader.Read(reader);
    }
}
