using Npgsql;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// What the schema says after a run, read straight from its tables: tasks not completed, tasks completed more than once,
/// tasks run more than once, and tasks whose attempts the history does not explain (one claim per task, plus one per
/// lease that expired or attempt that failed and was retried).
/// </summary>
internal sealed record HistoryAudit(long Tasks, long NotCompleted, long CompletedTwice, long RunAgain, long Unexplained)
{
    public static async Task<HistoryAudit> ReadAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SET search_path TO "{schema}";
            WITH per_task AS (
                SELECT task_seq,
                       count(*) FILTER (WHERE event = 'completed') AS completed,
                       count(*) FILTER (WHERE event = 'claimed') AS claims,
                       count(*) FILTER (WHERE event IN ('lease_expired', 'failed') AND to_state IN ('queued', 'scheduled')) AS retries
                FROM task_history GROUP BY task_seq)
            SELECT (SELECT count(*) FROM tasks),
                   (SELECT count(*) FROM tasks WHERE state <> 'completed'),
                   (SELECT count(*) FROM per_task WHERE completed > 1),
                   (SELECT count(*) FROM per_task WHERE claims > 1),
                   (SELECT count(*) FROM per_task WHERE claims <> 1 + retries)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new HistoryAudit(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }
}
