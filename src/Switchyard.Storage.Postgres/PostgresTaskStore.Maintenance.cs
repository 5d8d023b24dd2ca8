using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Storage.Postgres;

/// <summary>The maintenance sweeps: each locks due rows through a partial index (skipping rows another node holds) and moves them.</summary>
public sealed partial class PostgresTaskStore
{
    private const string ExpiredLeases =
        "SELECT seq FROM tasks WHERE state = 'running' AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT @limit FOR UPDATE SKIP LOCKED";

    private const string DueScheduled =
        "SELECT seq FROM tasks WHERE state = 'scheduled' AND run_at <= @now ORDER BY run_at LIMIT @limit FOR UPDATE SKIP LOCKED";

    private const string Overdue =
        "SELECT seq FROM tasks WHERE deadline_at IS NOT NULL AND state IN ('scheduled', 'blocked', 'queued', 'running') " +
        "AND deadline_at <= @now ORDER BY deadline_at LIMIT @limit FOR UPDATE SKIP LOCKED";

    private const string Expired =
        "SELECT seq FROM tasks WHERE result_expires_at <= @now ORDER BY result_expires_at LIMIT @limit FOR UPDATE SKIP LOCKED";

    public Task<IReadOnlyList<AppliedTransition>> ExpireLeasesAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        SweepAsync(ExpiredLeases, request, TaskTrigger.LeaseExpired,
            (task, now) => TaskMoves.ExpireLease(task, request.JitterSample, request.ResultTtlMs, now), cancellationToken);

    public Task<IReadOnlyList<AppliedTransition>> PromoteScheduledAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        SweepAsync(DueScheduled, request, TaskTrigger.Promote, (task, now) => TaskMoves.Promote(task, now), cancellationToken);

    public Task<IReadOnlyList<AppliedTransition>> FailOverdueAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        SweepAsync(Overdue, request, TaskTrigger.Deadline, (task, now) => TaskMoves.Timeout(task, request.ResultTtlMs, now), cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> PurgeExpiredAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TaskRecord>>(async (tx, ct) =>
        {
            var doomed = await tx.SelectSeqsAsync(Expired, request.MaxTasks, ct);
            var removed = new List<TaskRecord>(doomed.Count);
            var notices = new List<PgEncodedMove>(doomed.Count);
            foreach (var seq in doomed)
            {
                if (await tx.LoadBySeqAsync(seq, ct) is not { } row)
                {
                    continue;
                }

                var lastMove = await tx.DeleteAsync(seq, ct);
                removed.Add(row.Task);
                if (cluster is not null)
                {
                    notices.Add(PgNotices.EncodeExpired(lastMove, row.Task));
                }
            }

            if (cluster is not null && notices.Count > 0)
            {
                await cluster.NotifyExpiredAsync(tx, notices, ct); // with the deletes: no history row is left to recover a lost notice from
            }

            return removed;
        }, cancellationToken);

    private Task<IReadOnlyList<AppliedTransition>> SweepAsync(
        string sql, MaintenanceRequest request, TaskTrigger trigger, Func<TaskRecord, DateTimeOffset, AppliedTransition> decide,
        CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AppliedTransition>>(async (tx, ct) =>
        {
            var moved = new List<AppliedTransition>();
            foreach (var seq in await tx.SelectSeqsAsync(sql, request.MaxTasks, ct))
            {
                if (await tx.LoadBySeqAsync(seq, ct) is not { } row || TaskMoves.CheckSource(row.Task, trigger) is not null)
                {
                    continue;
                }

                var move = decide(row.Task, tx.Now);
                var reason = move.Trigger == TaskTrigger.Promote ? null : move.Task.Error?.Message;
                if (await tx.ApplyAndResolveAsync(seq, move, "switchyard", reason, request.ResultTtlMs, ct) is { } applied)
                {
                    moved.Add(applied);
                }
            }

            return moved;
        }, cancellationToken);
}
