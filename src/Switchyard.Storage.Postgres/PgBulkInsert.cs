using Npgsql;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// New tasks and their "submitted" history rows in one statement: every column goes as an array, <c>unnest</c> turns
/// them back into rows (in order, so seqs follow the batch), and the history rows are inserted from what the task
/// insert returned. An id that exists already is skipped (<c>ON CONFLICT (id) DO NOTHING</c>) and named by
/// <see cref="Inserted.Duplicate"/>, so the caller can refuse the whole submit.
/// <para>
/// <see cref="RunAtOnceAsync"/> is the same insert for a whole transaction in one round trip, with its <c>COMMIT</c>:
/// it inserts nothing when one of the guarded queues has a stored length limit (the caller then checks the limits as
/// usual), and an id that exists already fails the statement, so the <c>COMMIT</c> that follows never commits a part.
/// </para>
/// </summary>
internal static class PgBulkInsert
{
    /// <summary>Most tasks one statement inserts.</summary>
    public const int MaxRows = 1_000;

    private static readonly (string Name, string Type)[] Columns =
    [
        ("id", "text"), ("type", "text"), ("queue", "text"), ("grp", "text"), ("priority", "int"), ("state", "text"),
        ("payload", "text"), ("result", "text"), ("error", "text"), ("attempt", "int"), ("max_attempts", "int"),
        ("retry", "text"), ("timeout_ms", "bigint"), ("deadline_at", "bigint"), ("lease_ms", "bigint"), ("run_at", "bigint"),
        ("parent_id", "text"), ("correlation_id", "text"), ("idempotency_key", "text"), ("review", "text"),
        ("rejection_count", "int"), ("feedback", "text"), ("progress", "text"), ("labels", "text"), ("scope", "text"),
        ("lease_worker", "text"), ("lease_token", "bigint"), ("lease_expires_at", "bigint"), ("cancel_requested", "bool"),
        ("created_at", "bigint"), ("updated_at", "bigint"), ("started_at", "bigint"), ("finished_at", "bigint"),
        ("result_expires_at", "bigint"), ("result_ttl_ms", "bigint"), ("depends_on", "text"), ("on_dependency_failure", "text"),
        ("max_rejections", "int"), ("review_holder", "text"), ("review_token", "bigint"), ("review_expires_at", "bigint"),
        ("lease_length_ms", "bigint"),
    ];

    private static readonly string Sql = Statement(atOnce: false);

    private static readonly string AtOnceSql = Statement(atOnce: true);

    private static string Statement(bool atOnce) =>
        $"WITH r AS (SELECT * FROM unnest({string.Join(", ", Columns.Select(c => $"@{c.Name}::{c.Type}[]"))}) WITH ORDINALITY " +
        $"AS r({string.Join(", ", Columns.Select(c => c.Name))}, n)), " +
        $"t AS (INSERT INTO tasks ({string.Join(", ", Columns.Select(c => c.Name))}) " +
        $"SELECT {string.Join(", ", Columns.Select(c => c.Name switch
        {
            "labels" => "labels::jsonb",
            "depends_on" => "CASE WHEN depends_on IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(depends_on::jsonb)) END",
            _ => c.Name,
        }))} FROM r " +
        (atOnce
            ? "WHERE NOT EXISTS (SELECT 1 FROM queue_settings WHERE queue = ANY(@guarded) AND max_length IS NOT NULL) ORDER BY n "
            : "ORDER BY n ON CONFLICT (id) DO NOTHING ") +
        "RETURNING seq, id, state, updated_at, attempt), " +
        "h AS (INSERT INTO task_history (task_seq, at, event, from_state, to_state, actor, reason, attempt) " +
        "SELECT seq, updated_at, @event, NULL, state, @actor, NULL, attempt FROM t ORDER BY seq RETURNING task_seq, id) " +
        "SELECT t.id, t.seq, h.id FROM t JOIN h ON h.task_seq = t.seq ORDER BY t.seq";

    /// <summary>What one statement inserted: seqs and history ids by task id, and an id that existed already (nothing else matters then).</summary>
    public sealed record Inserted(Dictionary<string, (long Seq, long HistoryId)> Rows, string? Duplicate);

    public static async Task<Inserted> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TaskRecord> tasks, string? actor, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { Command(Sql, tasks, actor) } };
        var rows = await ReadAsync(batch, tasks.Count, cancellationToken);
        return new Inserted(rows, tasks.FirstOrDefault(t => !rows.ContainsKey(t.Id))?.Id);
    }

    /// <summary>
    /// Inserts <paramref name="tasks"/> (at most <see cref="MaxRows"/>) and commits, in one round trip; null when a queue
    /// of <paramref name="guarded"/> has a stored length limit (nothing was inserted). A taken id throws
    /// <see cref="PostgresException"/> with <see cref="PostgresErrorCodes.UniqueViolation"/>, and nothing is committed.
    /// </summary>
    public static async Task<Dictionary<string, (long Seq, long HistoryId)>?> RunAtOnceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TaskRecord> tasks, string? actor, string[] guarded,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tasks.Count, MaxRows);
        var insert = Command(AtOnceSql, tasks, actor);
        insert.Parameters.AddWithValue("guarded", guarded);
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { insert, new NpgsqlBatchCommand("COMMIT") } };
        var rows = await ReadAsync(batch, tasks.Count, cancellationToken);
        return rows.Count == tasks.Count ? rows : null;
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<TaskRecord> tasks, string? actor)
    {
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, tasks);
        command.Parameters.AddWithValue("event", TaskTrigger.Submit.ToEventName());
        command.Parameters.AddWithValue("actor", (object?)actor ?? DBNull.Value);
        return command;
    }

    /// <summary>Runs <paramref name="batch"/> (the insert first); the seqs and history ids the insert returned, by task id.</summary>
    private static async Task<Dictionary<string, (long Seq, long HistoryId)>> ReadAsync(NpgsqlBatch batch, int count, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, (long, long)>(count, StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        while (await reader.NextResultAsync(cancellationToken))
        {
            // the COMMIT's empty result
        }

        return rows;
    }

    private static void Bind(NpgsqlParameterCollection parameters, IReadOnlyList<TaskRecord> tasks)
    {
        T[] Of<T>(Func<TaskRecord, T> column) => tasks.Select(column).ToArray();
        PgManyMoves.BindMutable(parameters, tasks);
        parameters.AddWithValue("id", Of(t => t.Id));
        parameters.AddWithValue("type", Of(t => t.Type));
        parameters.AddWithValue("queue", Of(t => t.Queue));
        parameters.AddWithValue("grp", Of(t => t.Group));
        parameters.AddWithValue("payload", Of(t => t.Payload.Raw ?? "null"));
        parameters.AddWithValue("max_attempts", Of(t => t.MaxAttempts));
        parameters.AddWithValue("retry", Of(t => StoredJson.Write(t.Retry)));
        parameters.AddWithValue("timeout_ms", Of(t => t.TimeoutMs));
        parameters.AddWithValue("lease_ms", Of(t => t.LeaseMs));
        parameters.AddWithValue("parent_id", Of(t => t.ParentId));
        parameters.AddWithValue("correlation_id", Of(t => t.CorrelationId));
        parameters.AddWithValue("idempotency_key", Of(t => t.IdempotencyKey));
        parameters.AddWithValue("review", Of(t => t.Review == ReviewMode.Required ? "required" : "none"));
        parameters.AddWithValue("labels", Of(t => StoredJson.Write(t.Labels)));
        parameters.AddWithValue("scope", Of(t => t.Scope));
        parameters.AddWithValue("created_at", Of(t => PgTaskRows.Ms(t.CreatedAt)));
        parameters.AddWithValue("result_ttl_ms", Of(t => t.ResultTtlMs));
        parameters.AddWithValue("depends_on", Of(t => t.DependsOn.Count == 0 ? null : StoredJson.Write(t.DependsOn)));
        parameters.AddWithValue("on_dependency_failure", Of(t => t.OnDependencyFailure.ToName()));
        parameters.AddWithValue("max_rejections", Of(t => t.MaxRejections));
    }
}
