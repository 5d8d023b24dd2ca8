using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The claim path: hands out the best ready tasks to one worker inside the writer.</summary>
public sealed partial class SqliteTaskStore
{
    private static ClaimResult Claim(WriterContext context, ClaimRequest request)
    {
        List<AppliedTransition>? claimed = null;
        var now = context.Now;
        while ((claimed?.Count ?? 0) < request.MaxTasks
               && context.Ready.TakeBest(request.Queues, request.Groups, request.Types) is { } seq)
        {
            if (context.LoadBySeq(seq) is not { } row || row.Task.State != TaskState.Queued || row.Task.DeadlineAt <= now)
            {
                continue; // stale entry, or a task the deadline sweeper is about to fail
            }

            var leaseMs = TaskMoves.LeaseLength(row.Task, request.LeaseMs, request.DefaultLeaseMs);
            var move = TaskMoves.Claim(row.Task, request.WorkerId, context.NextFencingToken(), leaseMs, now);
            if (context.Apply(seq, move, request.WorkerId, null))
            {
                (claimed ??= []).Add(move);
            }
        }

        return claimed is null ? ClaimResult.Empty : new ClaimResult(claimed);
    }
}
