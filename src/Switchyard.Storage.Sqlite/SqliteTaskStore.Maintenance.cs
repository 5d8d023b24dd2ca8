using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The maintenance sweeps: each selects due rows through a partial index and moves them one by one.</summary>
public sealed partial class SqliteTaskStore
{
    private const string ExpiredLeases =
        "SELECT seq FROM tasks WHERE state = 'running' AND lease_expires_at <= $now ORDER BY lease_expires_at LIMIT $limit";

    private const string DueScheduled =
        "SELECT seq FROM tasks WHERE state = 'scheduled' AND run_at <= $now ORDER BY run_at LIMIT $limit";

    private const string Overdue =
        "SELECT seq FROM tasks WHERE deadline_at IS NOT NULL AND state IN ('scheduled', 'blocked', 'queued', 'running') " +
        "AND deadline_at <= $now ORDER BY deadline_at LIMIT $limit";

    public Task<IReadOnlyList<AppliedTransition>> ExpireLeasesAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        Sweep(ExpiredLeases, request, TaskTrigger.LeaseExpired,
            (task, now) => TaskMoves.ExpireLease(task, request.JitterSample, request.ResultTtlMs, now), cancellationToken);

    public Task<IReadOnlyList<AppliedTransition>> PromoteScheduledAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        Sweep(DueScheduled, request, TaskTrigger.Promote, (task, now) => TaskMoves.Promote(task, now), cancellationToken);

    public Task<IReadOnlyList<AppliedTransition>> FailOverdueAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        Sweep(Overdue, request, TaskTrigger.Deadline, (task, now) => TaskMoves.Timeout(task, request.ResultTtlMs, now), cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> PurgeExpiredAsync(MaintenanceRequest request, CancellationToken cancellationToken) =>
        Writer.Run<IReadOnlyList<TaskRecord>>(context =>
        {
            var seqs = new List<long>();
            using (var select = context.Connection.CreateCommand())
            {
                select.CommandText = "SELECT seq FROM tasks WHERE result_expires_at <= $now ORDER BY result_expires_at LIMIT $limit";
                select.Parameters.AddWithValue("$now", TaskRows.Ms(context.Now));
                select.Parameters.AddWithValue("$limit", request.MaxTasks);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    seqs.Add(reader.GetInt64(0));
                }
            }

            var removed = new List<TaskRecord>(seqs.Count);
            foreach (var seq in seqs)
            {
                if (context.LoadBySeq(seq) is not { } row)
                {
                    continue;
                }

                context.Delete(seq);
                context.Counts.Add(row.Task.Queue, row.Task.State, -1);
                removed.Add(row.Task);
            }

            return removed;
        }, cancellationToken);

    private Task<IReadOnlyList<AppliedTransition>> Sweep(
        string sql, MaintenanceRequest request, TaskTrigger trigger, Func<TaskRecord, DateTimeOffset, AppliedTransition> decide,
        CancellationToken cancellationToken) =>
        Writer.Run<IReadOnlyList<AppliedTransition>>(context =>
        {
            var now = context.Now;
            var seqs = new List<long>();
            using (var select = context.Connection.CreateCommand())
            {
                select.CommandText = sql;
                select.Parameters.AddWithValue("$now", TaskRows.Ms(now));
                select.Parameters.AddWithValue("$limit", request.MaxTasks);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    seqs.Add(reader.GetInt64(0));
                }
            }

            var moved = new List<AppliedTransition>(seqs.Count);
            foreach (var seq in seqs)
            {
                if (context.LoadBySeq(seq) is not { } row || TaskMoves.CheckSource(row.Task, trigger) is not null)
                {
                    continue;
                }

                var move = decide(row.Task, now);
                var reason = move.Trigger == TaskTrigger.Promote ? null : move.Task.Error?.Message;
                if (context.ApplyAndResolve(seq, move, "switchyard", reason, request.ResultTtlMs) is { } applied)
                {
                    moved.Add(applied);
                }
            }

            return moved;
        }, cancellationToken);
}
