using Npgsql;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Many moves of distinct, locked task rows in one statement: every column goes as an array, <c>unnest</c> turns them
/// back into rows, one <c>UPDATE … FROM</c> writes them all (each a compare-and-set on the state that was read) and one
/// <c>INSERT … SELECT</c> writes their history rows. The answer names, per task seq, its history row's id and whether
/// its compare-and-set held. The parameters are typed arrays, so the statement is prepared once per connection whatever
/// the values (a null of an untyped parameter would make it a different statement).
/// </summary>
internal static class PgManyMoves
{
    private static readonly (string Name, string Type)[] Columns =
    [
        ("priority", "int"), ("state", "text"), ("result", "text"), ("error", "text"), ("attempt", "int"),
        ("deadline_at", "bigint"), ("run_at", "bigint"), ("rejection_count", "int"), ("feedback", "text"),
        ("progress", "text"), ("lease_worker", "text"), ("lease_token", "bigint"), ("lease_expires_at", "bigint"),
        ("cancel_requested", "bool"), ("updated_at", "bigint"), ("started_at", "bigint"), ("finished_at", "bigint"),
        ("result_expires_at", "bigint"), ("review_holder", "text"), ("review_token", "bigint"), ("review_expires_at", "bigint"),
        ("lease_length_ms", "bigint"),
    ];

    private static readonly (string Name, string Type)[] Keys =
    [
        ("seq", "bigint"), ("expected", "text"), ("event", "text"), ("from_state", "text"), ("actor", "text"), ("reason", "text"),
    ];

    private static readonly string Sql = Statement("u.seq IS NOT NULL");

    /// <summary>
    /// As <see cref="Sql"/>, but a failed compare-and-set fails the statement (a cast that cannot hold, naming the task),
    /// so that a <c>COMMIT</c> sent in the same round trip never commits it.
    /// </summary>
    private static readonly string SqlOrFail = Statement(
        "CASE WHEN u.seq IS NULL THEN ('compare-and-set failed for task seq ' || h.task_seq)::bool ELSE true END");

    private static string Statement(string held) =>
        $"WITH w AS (SELECT * FROM unnest({string.Join(", ", Keys.Concat(Columns).Select(c => $"@{c.Name}::{c.Type}[]"))}) " +
        $"WITH ORDINALITY AS w({string.Join(", ", Keys.Concat(Columns).Select(c => c.Name))}, n)), " +
        $"u AS (UPDATE tasks t SET {string.Join(", ", Columns.Select(c => $"{c.Name} = w.{c.Name}"))} " +
        "FROM w WHERE t.seq = w.seq AND t.state = w.expected RETURNING t.seq), " +
        "h AS (INSERT INTO task_history (task_seq, at, event, from_state, to_state, actor, reason, attempt) " +
        "SELECT seq, updated_at, event, from_state, state, actor, reason, attempt FROM w ORDER BY n RETURNING task_seq, id) " +
        $"SELECT h.task_seq, h.id, {held} FROM h LEFT JOIN u ON u.seq = h.task_seq";

    /// <summary>
    /// Writes <paramref name="writes"/> (distinct seqs): the history id of each seq, or null when a compare-and-set failed.
    /// With <paramref name="commit"/>, the transaction's <c>COMMIT</c> goes in the same round trip, after the statement,
    /// and a failed compare-and-set fails the statement instead (nothing is committed).
    /// </summary>
    public static async Task<Dictionary<long, long>?> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PgWrite> writes, bool commit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var moves = new NpgsqlBatchCommand(commit ? SqlOrFail : Sql);
        Bind(moves.Parameters, writes);
        batch.BatchCommands.Add(moves);
        if (commit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        var ids = new Dictionary<long, long>(writes.Count);
        var held = true;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetInt64(0)] = reader.GetInt64(1);
                held &= reader.GetBoolean(2);
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
                // the COMMIT's empty result
            }
        }

        return held && ids.Count == writes.Count ? ids : null;
    }

    private static void Bind(NpgsqlParameterCollection parameters, IReadOnlyList<PgWrite> writes)
    {
        T[] Of<T>(Func<PgWrite, T> column) => writes.Select(column).ToArray();
        parameters.AddWithValue("seq", Of(w => w.Seq));
        parameters.AddWithValue("expected", Of(w => w.Move.From!.Value.ToName()));
        parameters.AddWithValue("event", Of(w => w.Move.Trigger.ToEventName()));
        parameters.AddWithValue("from_state", Of(w => w.Move.From?.ToName()));
        parameters.AddWithValue("actor", Of(w => w.Actor));
        parameters.AddWithValue("reason", Of(w => w.Reason));
        BindMutable(parameters, writes.Select(w => w.Move.Task).ToArray());
    }

    /// <summary>Binds the columns a move may change, one array each, named as the columns (the bulk insert binds them too).</summary>
    public static void BindMutable(NpgsqlParameterCollection parameters, IReadOnlyList<TaskRecord> tasks)
    {
        T[] Task<T>(Func<TaskRecord, T> column) => tasks.Select(column).ToArray();
        parameters.AddWithValue("priority", Task(t => t.Priority));
        parameters.AddWithValue("state", Task(t => t.State.ToName()));
        parameters.AddWithValue("result", Task(t => t.Result?.Raw));
        parameters.AddWithValue("error", Task(t => t.Error is null ? null : StoredJson.Write(t.Error)));
        parameters.AddWithValue("attempt", Task(t => t.Attempt));
        parameters.AddWithValue("deadline_at", Task(t => PgTaskRows.Ms(t.DeadlineAt)));
        parameters.AddWithValue("run_at", Task(t => PgTaskRows.Ms(t.RunAt)));
        parameters.AddWithValue("rejection_count", Task(t => t.RejectionCount));
        parameters.AddWithValue("feedback", Task(t => t.Feedback));
        parameters.AddWithValue("progress", Task(t => t.Progress is null ? null : StoredJson.Write(t.Progress)));
        parameters.AddWithValue("lease_worker", Task(t => t.Lease?.WorkerId));
        parameters.AddWithValue("lease_token", Task(t => t.Lease?.Token));
        parameters.AddWithValue("lease_expires_at", Task(t => PgTaskRows.Ms(t.Lease?.ExpiresAt)));
        parameters.AddWithValue("lease_length_ms", Task(t => t.Lease?.LengthMs));
        parameters.AddWithValue("cancel_requested", Task(t => t.CancelRequested));
        parameters.AddWithValue("updated_at", Task(t => PgTaskRows.Ms(t.UpdatedAt)));
        parameters.AddWithValue("started_at", Task(t => PgTaskRows.Ms(t.StartedAt)));
        parameters.AddWithValue("finished_at", Task(t => PgTaskRows.Ms(t.FinishedAt)));
        parameters.AddWithValue("result_expires_at", Task(t => PgTaskRows.Ms(t.ResultExpiresAt)));
        parameters.AddWithValue("review_holder", Task(t => t.ReviewLease?.WorkerId));
        parameters.AddWithValue("review_token", Task(t => t.ReviewLease?.Token));
        parameters.AddWithValue("review_expires_at", Task(t => PgTaskRows.Ms(t.ReviewLease?.ExpiresAt)));
    }
}
