using Npgsql;
using Switchyard.Core.Cluster;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Reads the moves of history ids a node missed (see <see cref="HistoryGaps"/>) back from the history table and the tasks
/// they moved. A move that is its task's latest carries the task as it is; an older one carries what its history row
/// tells (state, attempt, time, reason) and the task's fixed fields.
/// </summary>
internal static class PgMissedMoves
{
    private const string Select =
        "SELECT h.id, h.task_seq, h.at, h.event, h.from_state, h.to_state, h.reason, h.attempt, " +
        "(SELECT max(l.id) FROM task_history l WHERE l.task_seq = h.task_seq) FROM task_history h ";

    private const string InRanges = Select + "JOIN unnest(@lo, @hi) AS g(lo, hi) ON h.id BETWEEN g.lo AND g.hi ORDER BY h.id LIMIT @limit";

    private const string OfTask = Select + "WHERE h.task_seq = (SELECT seq FROM tasks WHERE id = @id) AND h.id > @after AND h.id < @before ORDER BY h.id";

    /// <summary>One missed move; <see cref="Latest"/> is the newest history id of its task.</summary>
    public sealed record Row(long HistoryId, long Latest, ClusterMove Move);

    /// <summary>The moves of the history ids in <paramref name="ranges"/>, at most <paramref name="limit"/>, in id order.</summary>
    public static Task<IReadOnlyList<Row>> ReadAsync(
        NpgsqlConnection connection, IReadOnlyList<(long Lo, long Hi)> ranges, int limit, CancellationToken cancellationToken) =>
        ReadAsync(connection, InRanges, p =>
        {
            p.AddWithValue("lo", ranges.Select(r => r.Lo).ToArray());
            p.AddWithValue("hi", ranges.Select(r => r.Hi).ToArray());
            p.AddWithValue("limit", limit);
        }, cancellationToken);

    /// <summary>The moves of task <paramref name="taskId"/> with history ids between <paramref name="after"/> and <paramref name="before"/> (both excluded).</summary>
    public static Task<IReadOnlyList<Row>> ReadTaskAsync(
        NpgsqlConnection connection, string taskId, long after, long before, CancellationToken cancellationToken) =>
        ReadAsync(connection, OfTask, p =>
        {
            p.AddWithValue("id", taskId);
            p.AddWithValue("after", after);
            p.AddWithValue("before", before);
        }, cancellationToken);

    /// <summary>Reads both tables in one snapshot: a task read a moment later may have moved on, and would give an old move a new state.</summary>
    private static async Task<IReadOnlyList<Row>> ReadAsync(
        NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var history = new List<(long Id, long Seq, long At, string Event, string? From, string To, string? Reason, int Attempt, long Latest)>();
        await using (var command = new NpgsqlCommand(sql, connection, snapshot))
        {
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                history.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt32(7), reader.GetInt64(8)));
            }
        }

        if (history.Count == 0)
        {
            return [];
        }

        var tasks = new Dictionary<long, TaskRecord>();
        await using (var command = new NpgsqlCommand($"SELECT {PgTaskRows.Columns} FROM tasks WHERE seq = ANY(@seqs)", connection, snapshot))
        {
            command.Parameters.AddWithValue("seqs", history.Select(h => h.Seq).Distinct().ToArray());
            foreach (var (seq, task) in await PgTransaction.LoadManyAsync(command, cancellationToken))
            {
                tasks[seq] = task;
            }
        }

        var rows = new List<Row>(history.Count);
        foreach (var h in history)
        {
            if (!tasks.TryGetValue(h.Seq, out var stored) || !TaskStates.TryParse(h.To, out var to)
                || !TaskTriggers.TryParseEventName(h.Event, out var trigger))
            {
                continue; // purged since, or written by a newer version
            }

            var task = h.Latest == h.Id
                ? stored
                : stored with
                {
                    State = to,
                    Attempt = h.Attempt,
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(h.At),
                    Result = null,
                    Error = null,
                    Progress = null,
                    Lease = null,
                    ReviewLease = null,
                };
            var from = TaskStates.TryParse(h.From, out var fromState) ? fromState : (TaskState?)null;
            rows.Add(new Row(h.Id, h.Latest, new ClusterMove(new AppliedTransition(task, from, trigger), h.Reason, FromThisNode: false)));
        }

        return rows;
    }
}
