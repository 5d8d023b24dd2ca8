using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The claim path: hands out the next ready tasks to one worker inside the writer, in the ready index's fair order,
/// passing over what a limit holds back (paused queue, running limits, rate tokens) and reporting that for the waker.
/// </summary>
public sealed partial class SqliteTaskStore
{
    private static ClaimResult Claim(WriterContext context, ClaimRequest request)
    {
        List<AppliedTransition>? claimed = null;
        var now = context.Now;
        var limits = context.Controls.Limits;
        while ((claimed?.Count ?? 0) < request.MaxTasks
               && context.Ready.TakeBest(request.Queues, request.Groups, request.Types, limits, now) is { } seq)
        {
            if (context.LoadBySeq(seq) is not { } row || row.Task.State != TaskState.Queued || row.Task.DeadlineAt <= now)
            {
                continue; // stale entry, or a task the deadline sweeper is about to fail
            }

            var leaseMs = TaskMoves.LeaseLength(row.Task, request.LeaseMs, request.DefaultLeaseMs);
            var move = TaskMoves.Claim(row.Task, request.WorkerId, context.NextFencingToken(), leaseMs, now);
            if (context.Apply(seq, move, request.WorkerId, null))
            {
                limits.Started(row.Task.Queue, row.Task.Group, now);
                (claimed ??= []).Add(move);
            }
        }

        context.Controls.ReportHolds();
        return claimed is null ? ClaimResult.Empty : new ClaimResult(claimed);
    }
}
