namespace Switchyard.Storage.Postgres;

/// <summary>Upkeep of the queue counts the <c>tasks</c> triggers keep (<see cref="PgQueueCounts"/>).</summary>
public sealed partial class PostgresTaskStore
{
    /// <summary>
    /// Moves the committed count deltas into <c>queue_counts</c> and deletes counters that reached zero; answers how
    /// many deltas it moved. The sums a reader sees do not change. Safe to run on several nodes at once; the
    /// <c>table-upkeep</c> leader runs it.
    /// </summary>
    public Task<int> FoldQueueCountsAsync(CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            int folded;
            await using (var fold = tx.Command(PgQueueCounts.Fold))
            {
                folded = (int)(await fold.ExecuteScalarAsync(ct))!;
            }

            await using var zeros = tx.Command(PgQueueCounts.DropZeros);
            await zeros.ExecuteNonQueryAsync(ct);
            return folded;
        }, cancellationToken);
}
