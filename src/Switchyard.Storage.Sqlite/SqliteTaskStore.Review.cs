using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The review gate: reviewers lease tasks in review, then accept or reject them.</summary>
public sealed partial class SqliteTaskStore
{
    public Task<Outcome<AppliedTransition>> AcceptAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Review(context, request, (task, now) => TaskMoves.Accept(task, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> RejectAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Review(context, request,
            (task, now) => TaskMoves.Reject(task, request.Feedback ?? string.Empty, request.ResultTtlMs, now)), cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> ClaimReviewAsync(ReviewClaimRequest request, CancellationToken cancellationToken) =>
        Writer.Run<IReadOnlyList<TaskRecord>>(context =>
        {
            var now = context.Now;
            var seqs = new List<long>();
            using (var select = context.Connection.CreateCommand())
            {
                var queues = string.Join(", ", request.Queues.Select((_, i) => $"$q{i}"));
                var types = request.Types.Count == 0 ? string.Empty
                    : $" AND type IN ({string.Join(", ", request.Types.Select((_, i) => $"$t{i}"))})";
                select.CommandText =
                    $"SELECT seq FROM tasks WHERE state = 'review' AND queue IN ({queues}){types} " +
                    "AND (review_expires_at IS NULL OR review_expires_at <= $now) ORDER BY seq LIMIT $limit";
                for (var i = 0; i < request.Queues.Count; i++)
                {
                    select.Parameters.AddWithValue($"$q{i}", request.Queues[i]);
                }

                for (var i = 0; i < request.Types.Count; i++)
                {
                    select.Parameters.AddWithValue($"$t{i}", request.Types[i]);
                }

                select.Parameters.AddWithValue("$now", TaskRows.Ms(now));
                select.Parameters.AddWithValue("$limit", request.MaxTasks);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    seqs.Add(reader.GetInt64(0));
                }
            }

            var leased = new List<TaskRecord>(seqs.Count);
            foreach (var seq in seqs)
            {
                if (context.LoadBySeq(seq) is not { Task.State: TaskState.Review } row)
                {
                    continue;
                }

                var task = row.Task with
                {
                    ReviewLease = new Lease(request.ReviewerId, context.NextFencingToken(), now.AddMilliseconds(request.LeaseMs)),
                };
                if (context.Update(seq, task, TaskState.Review))
                {
                    leased.Add(task);
                }
            }

            return leased;
        }, cancellationToken);

    private static Outcome<AppliedTransition> Review(
        WriterContext context, ReviewRequest request, Func<TaskRecord, DateTimeOffset, AppliedTransition> decide)
    {
        var now = context.Now;
        if (context.LoadById(request.TaskId) is not { } row || row.Task.ResultExpiresAt <= now)
        {
            return OperationError.NotFound(request.TaskId);
        }

        if (TaskMoves.CheckReview(row.Task, request.LeaseToken, request.Force, now) is { } refused)
        {
            return refused;
        }

        var move = decide(row.Task, now);
        var actor = request.Actor ?? row.Task.ReviewLease?.WorkerId;
        return context.ApplyAndResolve(row.Seq, move, actor, request.Feedback, request.ResultTtlMs) ?? move;
    }
}
