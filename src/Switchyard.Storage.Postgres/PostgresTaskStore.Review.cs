using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>The review gate: reviewers lease tasks in review, then accept or reject them.</summary>
public sealed partial class PostgresTaskStore
{
    private const string Reviewable =
        $"SELECT {PgTaskRows.Columns} FROM tasks WHERE state = 'review' AND queue = ANY(@queues) " +
        "AND (cardinality(@types) = 0 OR type = ANY(@types)) AND (review_expires_at IS NULL OR review_expires_at <= @now) " +
        "ORDER BY seq LIMIT @limit FOR UPDATE SKIP LOCKED";

    public Task<Outcome<AppliedTransition>> AcceptAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        ReviewAsync(request, (task, now) => TaskMoves.Accept(task, request.ResultTtlMs, now), cancellationToken);

    public Task<Outcome<AppliedTransition>> RejectAsync(ReviewRequest request, CancellationToken cancellationToken) =>
        ReviewAsync(request, (task, now) => TaskMoves.Reject(task, request.Feedback ?? string.Empty, request.ResultTtlMs, now), cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> ClaimReviewAsync(ReviewClaimRequest request, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TaskRecord>>(async (tx, ct) =>
        {
            await using var select = tx.Command(Reviewable);
            select.Parameters.AddWithValue("queues", request.Queues.ToArray());
            select.Parameters.AddWithValue("types", request.Types.ToArray());
            select.Parameters.AddWithValue("now", PgTaskRows.Ms(tx.Now));
            select.Parameters.AddWithValue("limit", request.MaxTasks);
            var leased = new List<TaskRecord>();
            var rows = await PgTransaction.LoadManyAsync(select, ct);
            var tokens = await tx.NextFencingTokensAsync(rows.Count, ct);
            foreach (var ((seq, task), token) in rows.Zip(tokens))
            {
                var held = task with
                {
                    ReviewLease = new Lease(request.ReviewerId, token, tx.Now.AddMilliseconds(request.LeaseMs)),
                };
                if (await tx.UpdateAsync(seq, held, TaskState.Review, ct))
                {
                    leased.Add(held);
                }
            }

            return leased;
        }, cancellationToken);

    private Task<Outcome<AppliedTransition>> ReviewAsync(
        ReviewRequest request, Func<TaskRecord, DateTimeOffset, AppliedTransition> decide, CancellationToken cancellationToken) =>
        RunAsync<Outcome<AppliedTransition>>(async (tx, ct) =>
        {
            if (await tx.LoadByIdAsync(request.TaskId, ct) is not { } row || row.Task.ResultExpiresAt <= tx.Now)
            {
                return OperationError.NotFound(request.TaskId);
            }

            if (TaskMoves.CheckReview(row.Task, request.LeaseToken, request.Force, tx.Now) is { } refused)
            {
                return refused;
            }

            var move = decide(row.Task, tx.Now);
            var actor = request.Actor ?? row.Task.ReviewLease?.WorkerId;
            return await tx.ApplyAndResolveAsync(row.Seq, move, actor, request.Feedback, request.ResultTtlMs, ct) ?? move;
        }, cancellationToken);
}
