using Microsoft.Data.Sqlite;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// What a <see cref="WriteCommand"/> may use on the writer thread: the open transaction's connection,
/// prepared statements, the ready index and the state counts. Nothing here is thread-safe but the counts.
/// </summary>
internal sealed class WriterContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly RawCommand _insert;
    private readonly RawCommand _update;
    private readonly RawCommand _history;
    private readonly PreparedCommand _byId;
    private readonly PreparedCommand _bySeq;
    private readonly PreparedCommand _byIdempotencyKey;
    private readonly RawCommand _saveFencing;
    private readonly PreparedCommand _delete;
    private readonly RawCommand _insertEdge;
    private readonly PreparedCommand _blockedDependents;
    private readonly PreparedCommand _dependencies;
    private readonly LiveRows _live = new();
    private long _fencingToken;
    private long _savedFencingToken;

    public WriterContext(SqliteConnection connection, TimeProvider time, StateCounts counts, ClaimControls controls)
    {
        _connection = connection;
        _time = time;
        Counts = counts;
        Controls = controls;
        _insert = new RawCommand(connection, TaskRows.Insert + " RETURNING seq");
        _update = new RawCommand(connection, TaskRows.Update);
        _history = new RawCommand(connection,
            "INSERT INTO task_history (task_seq, at, event, from_state, to_state, actor, reason, attempt) " +
            "VALUES ($seq, $at, $event, $from, $to, $actor, $reason, $attempt)");
        _byId = new PreparedCommand(connection, $"SELECT {TaskRows.Columns} FROM tasks WHERE id = $id", ["$id"]);
        _bySeq = new PreparedCommand(connection, $"SELECT {TaskRows.Columns} FROM tasks WHERE seq = $seq", ["$seq"]);
        _byIdempotencyKey = new PreparedCommand(connection,
            $"SELECT {TaskRows.Columns} FROM tasks WHERE scope = $scope AND idempotency_key = $key", ["$scope", "$key"]);
        _delete = new PreparedCommand(connection,
            "DELETE FROM task_history WHERE task_seq = $seq; DELETE FROM task_dependencies WHERE task_seq = $seq; " +
            "DELETE FROM task_dependencies WHERE dep_seq = $seq; DELETE FROM tasks WHERE seq = $seq", ["$seq"]);
        _insertEdge = new RawCommand(connection, "INSERT OR IGNORE INTO task_dependencies (task_seq, dep_seq) VALUES ($task, $dep)");
        _blockedDependents = new PreparedCommand(connection,
            "SELECT d.task_seq FROM task_dependencies d JOIN tasks t ON t.seq = d.task_seq " +
            "WHERE d.dep_seq = $seq AND t.state = 'blocked' ORDER BY d.task_seq", ["$seq"]);
        _dependencies = new PreparedCommand(connection,
            $"SELECT {TaskRows.Columns} FROM tasks WHERE seq IN (SELECT dep_seq FROM task_dependencies WHERE task_seq = $seq)", ["$seq"]);
        _saveFencing = new RawCommand(connection, "UPDATE counters SET value = $value WHERE name = 'fencing_token'");
    }

    public ReadyIndex Ready { get; } = new();

    public StateCounts Counts { get; }

    /// <summary>The limits the claim path enforces (queue settings, type concurrency), kept in step with the control tables.</summary>
    public ClaimControls Controls { get; }

    public DateTimeOffset Now => TimeMs.Now(_time);

    public SqliteConnection Connection => _connection;

    public (long Seq, TaskRecord Task)? LoadById(string id) =>
        _live.TryGet(id, out var row) ? row : Remember(Load(_byId.Set("$id", id)));

    public (long Seq, TaskRecord Task)? LoadBySeq(long seq) =>
        _live.TryGet(seq, out var task) ? (seq, task) : Remember(Load(_bySeq.Set("$seq", seq)));

    public (long Seq, TaskRecord Task)? LoadByIdempotencyKey(string scope, string key) =>
        Load(_byIdempotencyKey.Set("$scope", scope).Set("$key", key));

    /// <summary>
    /// Inserts a new task with its "submitted" history row; returns its seq. The counts and the ready index are not
    /// touched: call <see cref="Track"/> once every insert of the command has succeeded.
    /// </summary>
    public long Insert(TaskRecord task, string? actor)
    {
        if (!task.State.IsWaiting())
        {
            throw new InvalidOperationException($"A new task enters as queued, scheduled or blocked, not {task.State.ToName()}.");
        }

        TaskRows.BindInsert(_insert, task);
        var seq = _insert.ExecuteScalarInt64();
        WriteHistory(seq, task, null, TaskTrigger.Submit.ToEventName(), actor, null);
        _live.Set(seq, task);
        return seq;
    }

    /// <summary>Records a new task in the in-memory counts and ready index.</summary>
    public void Track(long seq, TaskRecord task)
    {
        Counts.Move(task.Queue, null, task.State);
        if (task.State == TaskState.Queued)
        {
            Ready.Add(seq, task);
        }
    }

    /// <summary>
    /// Writes <paramref name="move"/> if the row is still in the state it was read in, with its history row.
    /// Returns false (and writes nothing) when another move got there first.
    /// </summary>
    public bool Apply(long seq, AppliedTransition move, string? actor, string? reason)
    {
        if (!Update(seq, move.Task, move.From!.Value))
        {
            return false;
        }

        WriteHistory(seq, move.Task, move.From, move.Trigger.ToEventName(), actor, reason);
        Counts.Move(move.Task, move.From);
        if (move.Task.State == TaskState.Queued)
        {
            Ready.Add(seq, move.Task);
        }

        return true;
    }

    /// <summary>
    /// <see cref="Apply"/>, then, when the move ended the task, resolves the tasks blocked on it (released, failed or
    /// cancelled by their policy), transitively; when it blocked the task (a retry), resolves the task itself.
    /// Returns the move with those consequences, or null when the compare-and-set lost.
    /// </summary>
    public AppliedTransition? ApplyAndResolve(long seq, AppliedTransition move, string? actor, string? reason, long resultTtlMs)
    {
        if (!Apply(seq, move, actor, reason))
        {
            return null;
        }

        if (move.Task.State.IsTerminal())
        {
            return move with { Consequences = ResolveDependents(seq, resultTtlMs) };
        }

        // A retried task with dependencies waits for them again, unless they are already done.
        return move.Task.State == TaskState.Blocked && ResolveBlocked(seq, resultTtlMs) is { } next ? move with { Consequences = [next] } : move;
    }

    /// <summary>Records that the task at <paramref name="seq"/> waits for the tasks at <paramref name="dependencySeqs"/>.</summary>
    public void InsertDependencies(long seq, IEnumerable<long> dependencySeqs)
    {
        foreach (var dep in dependencySeqs)
        {
            _insertEdge.Set("$task", seq).Set("$dep", dep).ExecuteNonQuery();
        }
    }

    /// <summary>Moves a blocked task on if its dependencies allow it; returns the move (with its consequences) or null.</summary>
    public AppliedTransition? ResolveBlocked(long seq, long resultTtlMs)
    {
        if (LoadBySeq(seq) is not { Task.State: TaskState.Blocked } row)
        {
            return null;
        }

        var verdict = DependencyResolution.Decide(row.Task, LoadAll(_dependencies.Set("$seq", seq)), out var failed);
        return DependencyResolution.MoveFor(row.Task, verdict, failed, resultTtlMs, Now) is { } move
            ? ApplyAndResolve(seq, move, "switchyard", move.Task.Error?.Message, resultTtlMs)
            : null;
    }

    private List<AppliedTransition> ResolveDependents(long seq, long resultTtlMs)
    {
        var moves = new List<AppliedTransition>();
        if (Counts.Blocked == 0)
        {
            return moves; // nothing waits on anything: skip the query (the common case)
        }

        foreach (var dependent in ReadSeqs(_blockedDependents.Set("$seq", seq)))
        {
            if (ResolveBlocked(dependent, resultTtlMs) is { } move)
            {
                moves.Add(move);
            }
        }

        return moves;
    }

    /// <summary>Rewrites a task's mutable columns without a move (heartbeats, progress).</summary>
    public bool Update(long seq, TaskRecord task, TaskState expected)
    {
        TaskRows.BindUpdate(_update, seq, task, expected);
        if (_update.ExecuteNonQuery() != 1)
        {
            return false;
        }

        _live.Set(seq, task);
        return true;
    }

    /// <summary>Deletes a task and its history (rows only: adjust <see cref="Counts"/> once the command can no longer fail).</summary>
    public void Delete(long seq)
    {
        _delete.Set("$seq", seq).ExecuteNonQuery();
        _live.Forget(seq);
    }

    /// <summary>Marks the start of a command: the rows it writes are the ones <see cref="UndoCommand"/> forgets.</summary>
    public void BeginCommand() => _live.BeginCommand();

    /// <summary>The command's writes were rolled back: forget the rows it wrote, so that they are read again.</summary>
    public void UndoCommand() => _live.UndoCommand();

    public long NextFencingToken() => ++_fencingToken;

    /// <summary>Persists the fencing counter if this transaction advanced it, so tokens only grow across restarts.</summary>
    public void BeforeCommit()
    {
        if (_fencingToken != _savedFencingToken)
        {
            _saveFencing.Set("$value", _fencingToken).ExecuteNonQuery();
        }
    }

    public void AfterCommit() => _savedFencingToken = _fencingToken;

    /// <summary>Rebuilds every in-memory structure from what the database holds (at start, and after a failed transaction).</summary>
    public void Reload()
    {
        _live.Clear();
        Counts.Clear();
        LoadReady();
        Controls.Load(_connection);

        using (var counts = _connection.CreateCommand())
        {
            counts.CommandText = "SELECT queue, state, count(*) FROM tasks GROUP BY queue, state";
            using var reader = counts.ExecuteReader();
            while (reader.Read())
            {
                Counts.Add(reader.GetString(0), TaskStates.Parse(reader.GetString(1)), reader.GetInt64(2));
            }
        }

        using var fencing = _connection.CreateCommand();
        fencing.CommandText = "SELECT value FROM counters WHERE name = 'fencing_token'";
        _savedFencingToken = (long)fencing.ExecuteScalar()!;

        // After a failed command mid-batch the row still holds the value before this batch, while earlier
        // commands of the batch handed out larger tokens that will commit: never go back below those.
        _fencingToken = Math.Max(_fencingToken, _savedFencingToken);
    }

    public void Dispose()
    {
        foreach (var command in new[] { _byId, _bySeq, _byIdempotencyKey, _delete, _blockedDependents, _dependencies })
        {
            command.Dispose();
        }

        foreach (var command in new[] { _insert, _update, _history, _saveFencing, _insertEdge })
        {
            command.Dispose();
        }
    }

    /// <summary>Rebuilds the ready index from the queued rows.</summary>
    private void LoadReady()
    {
        Ready.Clear();
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, queue, scope, grp, type, priority FROM tasks WHERE state = 'queued'";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            Ready.Add(new ReadyEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }
    }

    private void WriteHistory(long seq, TaskRecord task, TaskState? from, string eventName, string? actor, string? reason)
    {
        _history.Set("$seq", seq)
            .Set("$at", TaskRows.Ms(task.UpdatedAt))
            .Set("$event", eventName)
            .Set("$from", from?.ToName())
            .Set("$to", task.State.ToName())
            .Set("$actor", actor)
            .Set("$reason", reason)
            .Set("$attempt", task.Attempt)
            .ExecuteNonQuery();
    }

    private static List<TaskRecord> LoadAll(PreparedCommand command)
    {
        var tasks = new List<TaskRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tasks.Add(TaskRows.Read(reader).Task);
        }

        return tasks;
    }

    private static List<long> ReadSeqs(PreparedCommand command)
    {
        var seqs = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    private (long Seq, TaskRecord Task)? Remember((long Seq, TaskRecord Task)? row)
    {
        if (row is { } found)
        {
            _live.Set(found.Seq, found.Task);
        }

        return row;
    }

    private static (long, TaskRecord)? Load(PreparedCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? TaskRows.Read(reader) : null;
    }
}
