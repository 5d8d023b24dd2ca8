using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>Claims: the best queued tasks a worker may take, skipping rows another node is claiming at the same moment.</summary>
public sealed partial class PostgresTaskStore
{
    private const string ClaimSelect =
        $"SELECT {PgTaskRows.Columns} FROM tasks WHERE state = 'queued' AND queue = ANY(@queues) " +
        "AND (grp = 'default' OR grp = ANY(@groups)) AND (cardinality(@types) = 0 OR type = ANY(@types)) " +
        "AND (deadline_at IS NULL OR deadline_at > @now) ORDER BY priority DESC, seq LIMIT @limit FOR UPDATE SKIP LOCKED";

    public Task<ClaimResult> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
        RunAsync(async (tx, ct) =>
        {
            await using var select = tx.Command(ClaimSelect);
            select.Parameters.AddWithValue("queues", request.Queues.ToArray());
            select.Parameters.AddWithValue("groups", request.Groups.ToArray());
            select.Parameters.AddWithValue("types", request.Types.ToArray());
            select.Parameters.AddWithValue("now", PgTaskRows.Ms(tx.Now));
            select.Parameters.AddWithValue("limit", request.MaxTasks);
            var rows = await PgTransaction.LoadManyAsync(select, ct);
            if (rows.Count == 0)
            {
                return ClaimResult.Empty;
            }

            var claimed = new List<AppliedTransition>(rows.Count);
            foreach (var (seq, task) in rows)
            {
                var leaseMs = TaskMoves.LeaseLength(task, request.LeaseMs, request.DefaultLeaseMs);
                var move = TaskMoves.Claim(task, request.WorkerId, await tx.NextFencingTokenAsync(ct), leaseMs, tx.Now);
                if (await tx.ApplyAsync(seq, move, request.WorkerId, null, ct))
                {
                    claimed.Add(move);
                }
            }

            return new ClaimResult(claimed);
        }, cancellationToken);
}
