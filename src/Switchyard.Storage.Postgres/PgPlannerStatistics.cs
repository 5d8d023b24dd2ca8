using Npgsql;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Keeps the planner's picture of <c>tasks</c> current. Its size can change a hundredfold in a second (a batch of
/// submits, a drain), far faster than autovacuum looks (once a minute): the plans each pooled connection caches for its
/// prepared statements stay those made for the old size, and a compare-and-set by key planned on a table of a few pages
/// scans the whole table once it holds thousands of rows (measured: 7.7 ms instead of 3.4 ms per batch of moves).
/// <c>ANALYZE</c> records the new size and makes every session plan its statements again. It runs only when the live
/// rows have drifted from what the last analysis saw, so a table of steady size under any churn is left to autovacuum.
/// </summary>
public static class PgPlannerStatistics
{
    /// <summary>Rows the table may grow or shrink by, beyond <see cref="DriftFactor"/>, before it is analyzed again.</summary>
    public const long DriftRows = 1_000;

    /// <summary>How far the live rows may be from the analyzed count, as a factor either way.</summary>
    public const double DriftFactor = 2;

    /// <summary>How long the analysis waits for its lock (autovacuum may be analyzing the table at that moment) before it leaves it for next time.</summary>
    private const string LockTimeout = "200ms";

    /// <summary>Live rows (as counted by the statistics collector) and rows at the last analysis (-1: never analyzed).</summary>
    private const string Drift =
        "SELECT s.n_live_tup, c.reltuples::bigint FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relid = 'tasks'::regclass";

    /// <summary>Whether a table analyzed at <paramref name="analyzed"/> rows (-1: never) that holds <paramref name="live"/> now should be analyzed again.</summary>
    public static bool Drifted(long live, long analyzed)
    {
        var known = Math.Max(analyzed, 0);
        return live > (known * DriftFactor) + DriftRows || live < (known / DriftFactor) - DriftRows;
    }

    /// <summary>Analyzes <c>tasks</c> when its size has drifted; true when it did.</summary>
    public static async Task<bool> RefreshAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var check = new NpgsqlCommand(Drift, connection))
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || !Drifted(reader.GetInt64(0), reader.GetInt64(1)))
            {
                return false;
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var analyze = new NpgsqlCommand($"SET LOCAL lock_timeout = '{LockTimeout}'; ANALYZE tasks", connection, transaction);
        try
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false; // someone else is analyzing it now
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
