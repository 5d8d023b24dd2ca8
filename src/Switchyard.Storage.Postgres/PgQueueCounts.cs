namespace Switchyard.Storage.Postgres;

/// <summary>
/// The queue counts the store keeps (migration 0007): folded counts in <c>queue_counts</c>, plus the deltas the
/// <c>tasks</c> triggers append to <c>queue_count_deltas</c>, one aggregated set per statement.
/// </summary>
internal static class PgQueueCounts
{
    /// <summary>Each (queue, state) with tasks in it and their number, in one snapshot: folded counts plus the deltas not folded yet.</summary>
    public const string Read =
        "SELECT queue, state, sum(n)::bigint FROM (SELECT queue, state, n FROM queue_counts " +
        "UNION ALL SELECT queue, state, n FROM queue_count_deltas) c GROUP BY queue, state HAVING sum(n) <> 0";

    /// <summary>
    /// Moves the committed deltas into <c>queue_counts</c> and answers how many it moved: each delta is deleted and
    /// added in one statement, so a reader sees it in one table or the other. Folds may run side by side: a delta
    /// another fold deleted is skipped once that fold commits, and counters are written in key order. One scan of
    /// the deltas, no join: their table's statistics are never right (it fills and empties every second).
    /// </summary>
    public const string Fold =
        "WITH d AS (DELETE FROM queue_count_deltas RETURNING queue, state, n), " +
        "f AS (INSERT INTO queue_counts (queue, state, n) SELECT queue, state, sum(n)::bigint FROM d GROUP BY queue, state ORDER BY queue, state " +
        "ON CONFLICT (queue, state) DO UPDATE SET n = queue_counts.n + excluded.n) " +
        "SELECT count(*)::int FROM d";

    /// <summary>Counters that reached zero, skipping those a fold holds (it may be about to raise them).</summary>
    public const string DropZeros =
        "DELETE FROM queue_counts WHERE (queue, state) IN (SELECT queue, state FROM queue_counts WHERE n = 0 FOR UPDATE SKIP LOCKED)";
}
