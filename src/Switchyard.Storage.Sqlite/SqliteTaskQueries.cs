using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The embedded store's read side: pooled read-only connections that never wait for the writer (WAL).</summary>
public sealed class SqliteTaskQueries(SqliteDatabase database, TimeProvider time) : ITaskQueries
{
    private const string Live = "(result_expires_at IS NULL OR result_expires_at > $now)";

    public async Task<TaskRecord?> GetTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TaskRows.Columns} FROM tasks WHERE id = $id AND {Live}";
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$now", Now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TaskRows.Read(reader).Task : null;
    }

    public async Task<long?> GetQueuePositionAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT 1 + (SELECT COUNT(*) FROM tasks q WHERE q.state = 'queued' AND q.queue = t.queue " +
            "AND (q.priority > t.priority OR (q.priority = t.priority AND q.seq < t.seq))) " +
            $"FROM tasks t WHERE t.id = $id AND t.state IN ('queued', 'scheduled', 'blocked') AND {Live}";
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$now", Now);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : null;
    }

    public async Task<TaskPage> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = Where(command, $"SELECT {TaskRows.Columns} FROM tasks", query);
        if (query.Cursor is { } cursor)
        {
            sql.Append(" AND seq < $cursor");
            command.Parameters.AddWithValue("$cursor", cursor);
        }

        var limit = Math.Clamp(query.Limit, 1, TaskQuery.MaxLimit);
        sql.Append(" ORDER BY seq DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();
        var rows = new List<(long Seq, TaskRecord Task)>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(TaskRows.Read(reader));
            }
        }

        var more = rows.Count > limit;
        var page = more ? rows.GetRange(0, limit) : rows;
        return new TaskPage(page.Select(r => r.Task).ToArray(), more ? page[^1].Seq : null);
    }

    public async Task<long> CountTasksAsync(TaskQuery query, long? upTo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = Where(command, "SELECT 1 FROM tasks", query);
        if (upTo is { } most)
        {
            sql.Append(" LIMIT $upTo");
            command.Parameters.AddWithValue("$upTo", Math.Max(0, most));
        }

        command.CommandText = $"SELECT COUNT(*) FROM ({sql})";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HistoryEntry>?> ListHistoryAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT t.seq, h.at, h.event, h.from_state, h.to_state, h.actor, h.reason, h.attempt " +
            $"FROM tasks t LEFT JOIN task_history h ON h.task_seq = t.seq WHERE t.id = $id AND {Live} ORDER BY h.id";
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$now", Now);
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
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq FROM tasks WHERE id = $id AND {Live}";
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$now", Now);
        if (await command.ExecuteScalarAsync(cancellationToken) is not long seq)
        {
            return null;
        }

        command.CommandText =
            $"SELECT {TaskRows.Columns} FROM tasks WHERE seq IN (SELECT {far} FROM task_dependencies WHERE {near} = $seq) " +
            $"AND {Live} ORDER BY seq";
        command.Parameters.AddWithValue("$seq", seq);
        var related = new List<TaskRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            related.Add(TaskRows.Read(reader).Task);
        }

        return related;
    }

    public Task<IReadOnlyList<QueueStats>> ListQueueStatsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(database.Counts.Snapshot());

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary><paramref name="select"/> with the query's filters (not its paging) as its WHERE clause.</summary>
    private StringBuilder Where(SqliteCommand command, string select, TaskQuery query)
    {
        var sql = new StringBuilder($"{select} WHERE {Live}");
        command.Parameters.AddWithValue("$now", Now);
        if (query.States.Count > 0)
        {
            var names = query.States.Select((s, i) => (Name: $"$state{i}", Value: s.ToName())).ToArray();
            sql.Append(CultureInfo.InvariantCulture, $" AND state IN ({string.Join(", ", names.Select(n => n.Name))})");
            foreach (var (name, value) in names)
            {
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter(command, sql, "queue", query.Queue);
        Filter(command, sql, "type", query.Type);
        Filter(command, sql, "grp", query.Group);
        Filter(command, sql, "scope", query.Scope);
        Filter(command, sql, "correlation_id", query.CorrelationId);
        Filter(command, sql, "parent_id", query.ParentId);
        if (query.Worker is not null)
        {
            sql.Append(" AND state = 'running'");
            Filter(command, sql, "lease_worker", query.Worker);
        }

        var index = 0;
        foreach (var (key, value) in query.Labels)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND json_extract(labels, $lp{index}) = $lv{index}");
            command.Parameters.AddWithValue($"$lp{index}", $"$.\"{key}\"");
            command.Parameters.AddWithValue($"$lv{index}", value);
            index++;
        }

        return sql;
    }

    private static void Filter(SqliteCommand command, StringBuilder sql, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${column}");
        command.Parameters.AddWithValue("$" + column, value);
    }
}
