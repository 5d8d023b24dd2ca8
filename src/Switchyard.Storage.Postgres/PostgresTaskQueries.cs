using System.Globalization;
using System.Text;
using Npgsql;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>The scale-out store's read side: plain reads (no locks) on the shared database, so every node sees every node's writes.</summary>
public sealed class PostgresTaskQueries(PostgresDatabase database, TimeProvider time) : ITaskQueries
{
    private const string Live = "(result_expires_at IS NULL OR result_expires_at > @now)";

    public async Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync($"SELECT {PgTaskRows.Columns} FROM tasks WHERE id = @id AND {Live}", cancellationToken, ("id", taskId));
        return rows.Count == 0 ? null : rows[0].Task;
    }

    public async Task<long?> GetQueuePositionAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT 1 + (SELECT count(*) FROM tasks q WHERE q.state = 'queued' AND q.queue = t.queue " +
            "AND (q.priority > t.priority OR (q.priority = t.priority AND q.seq < t.seq))) " +
            $"FROM tasks t WHERE t.id = @id AND t.state IN ('queued', 'scheduled', 'blocked') AND {Live.Replace("result_expires_at", "t.result_expires_at", StringComparison.Ordinal)}",
            connection);
        command.Parameters.AddWithValue("id", taskId);
        command.Parameters.AddWithValue("now", Now);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : null;
    }

    public async Task<TaskPage> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object)>();
        var sql = Where($"SELECT {PgTaskRows.Columns} FROM tasks", query, parameters);
        if (query.Cursor is { } cursor)
        {
            sql.Append(" AND seq < @cursor");
            parameters.Add(("cursor", cursor));
        }

        var limit = Math.Clamp(query.Limit, 1, TaskQuery.MaxLimit);
        sql.Append(" ORDER BY seq DESC LIMIT @limit");
        parameters.Add(("limit", limit + 1));
        var rows = await QueryAsync(sql.ToString(), cancellationToken, [.. parameters]);
        var more = rows.Count > limit;
        var page = more ? rows.GetRange(0, limit) : rows;
        return new TaskPage(page.Select(r => r.Task).ToArray(), more ? page[^1].Seq : null);
    }

    public async Task<long> CountTasksAsync(TaskQuery query, long? upTo, CancellationToken cancellationToken)
    {
        var parameters = new List<(string Name, object Value)>();
        var sql = Where("SELECT 1 FROM tasks", query, parameters);
        if (upTo is { } most)
        {
            sql.Append(" LIMIT @upTo");
            parameters.Add(("upTo", Math.Max(0, most)));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM ({sql}) AS matching", connection);
        command.Parameters.AddWithValue("now", Now);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HistoryEntry>?> ListHistoryAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT t.seq, h.at, h.event, h.from_state, h.to_state, h.actor, h.reason, h.attempt " +
            $"FROM tasks t LEFT JOIN task_history h ON h.task_seq = t.seq WHERE t.id = @id AND {Live} ORDER BY h.id",
            connection);
        command.Parameters.AddWithValue("id", taskId);
        command.Parameters.AddWithValue("now", Now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<HistoryEntry>? entries = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            entries ??= [];
            if (TaskRowReader.ReadHistory(reader, taskId) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public async Task<IReadOnlyList<TaskRecord>?> ListRelatedAsync(string taskId, TaskRelation relation, CancellationToken cancellationToken)
    {
        var (near, far) = relation == TaskRelation.Dependencies ? ("task_seq", "dep_seq") : ("dep_seq", "task_seq");
        if (await GetTaskAsync(taskId, cancellationToken) is null)
        {
            return null;
        }

        var rows = await QueryAsync(
            $"SELECT {PgTaskRows.Columns} FROM tasks WHERE seq IN (SELECT d.{far} FROM task_dependencies d JOIN tasks t ON t.seq = d.{near} " +
            $"WHERE t.id = @id) AND {Live} ORDER BY seq",
            cancellationToken, ("id", taskId));
        return rows.Select(r => r.Task).ToArray();
    }

    public async Task<IReadOnlyList<QueueStats>> ListQueueStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PgQueueCounts.Read, connection);
        var counts = new SortedDictionary<string, Dictionary<TaskState, long>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var queue = reader.GetString(0);
            if (!counts.TryGetValue(queue, out var byState))
            {
                counts[queue] = byState = TaskStates.All.ToDictionary(s => s, _ => 0L);
            }

            byState[TaskStates.Parse(reader.GetString(1))] = reader.GetInt64(2);
        }

        return counts.Select(kv => new QueueStats(kv.Key, kv.Value)).ToArray();
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<List<(long Seq, TaskRecord Task)>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("now", Now);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await PgTransaction.LoadManyAsync(command, cancellationToken);
    }

    /// <summary><paramref name="select"/> with the query's filters (not its paging) as its WHERE clause.</summary>
    private static StringBuilder Where(string select, TaskQuery query, List<(string, object)> parameters)
    {
        var sql = new StringBuilder($"{select} WHERE {Live}");
        if (query.States.Count > 0)
        {
            // The states' fixed names as literals, not a parameter: a partial index on some states (ix_tasks_uncommon_state)
            // serves only a statement whose text implies its predicate, and prepared statements may be planned generically.
            sql.Append(CultureInfo.InvariantCulture, $" AND state IN ({string.Join(", ", query.States.Distinct().Select(s => $"'{s.ToName()}'"))})");
        }

        Filter(sql, parameters, "queue", query.Queue);
        Filter(sql, parameters, "type", query.Type);
        Filter(sql, parameters, "grp", query.Group);
        Filter(sql, parameters, "scope", query.Scope);
        Filter(sql, parameters, "correlation_id", query.CorrelationId);
        Filter(sql, parameters, "parent_id", query.ParentId);
        if (query.Worker is not null)
        {
            sql.Append(" AND state = 'running'");
            Filter(sql, parameters, "lease_worker", query.Worker);
        }

        var index = 0;
        foreach (var (key, value) in query.Labels)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND labels ->> @lk{index} = @lv{index}");
            parameters.Add(($"lk{index}", key));
            parameters.Add(($"lv{index}", value));
            index++;
        }

        return sql;
    }

    private static void Filter(StringBuilder sql, List<(string, object)> parameters, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
        parameters.Add((column, value));
    }
}
