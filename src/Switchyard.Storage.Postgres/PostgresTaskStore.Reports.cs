using Microsoft.Extensions.Logging;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Group commit for the hot path: workers' completions and failures. They queue here, and one flow applies all that
/// are waiting in one transaction: the rows locked in one statement and the blocked tasks waiting on them asked in
/// another of the same round trip, every move and its history row written in one round trip that also carries the COMMIT (one WAL flush; when blocked
/// tasks wait on them, their resolution follows and the commit goes on its own), then the moves announced after the
/// commit. Under load the batch grows while the previous one commits; a lone report still goes at once.
/// Each report is decided exactly as alone (lease checked against the row as the batch left it), and if a batch fails
/// as a whole its reports run again one by one, so an error reaches only the caller it belongs to.
/// </summary>
public sealed partial class PostgresTaskStore
{
    /// <summary>Most reports one transaction applies.</summary>
    public const int MaxReportsPerTransaction = 500;

    private PgGroupCommit<LeasedReport>? _reportCommit;

    private PgGroupCommit<LeasedReport> Reports =>
        LazyInitializer.EnsureInitialized(ref _reportCommit, () => new PgGroupCommit<LeasedReport>(ApplyAsync, _ => 1, MaxReportsPerTransaction));

    public Task<Outcome<AppliedTransition>> CompleteAsync(CompleteRequest request, CancellationToken cancellationToken) =>
        ReportAsync(new LeasedReport(request.TaskId, request.LeaseToken, request.Actor, null, request.ResultTtlMs,
            (task, now) => TaskMoves.Complete(task, request.Result, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> FailAsync(FailRequest request, CancellationToken cancellationToken) =>
        ReportAsync(new LeasedReport(request.TaskId, request.LeaseToken, request.Actor, request.Error.Message, request.ResultTtlMs,
            (task, now) => TaskMoves.Fail(task, request.Error, request.RetryAfterMs, request.JitterSample, request.ResultTtlMs, now)), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Submits.CloseAsync();
        await Reports.CloseAsync();
    }

    private async Task<Outcome<AppliedTransition>> ReportAsync(LeasedReport report, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(!Reports.TryPost(report), this);
        return await report.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task ApplyAsync(List<LeasedReport> batch)
    {
        try
        {
            var outcomes = await RunAsync((tx, ct) => ApplyAsync(tx, batch, ct), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchSplit(logger, batch.Count, ex.Message);
            foreach (var report in batch)
            {
                await ApplyAsync([report]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
        }
    }

    private static async Task<Outcome<AppliedTransition>[]> ApplyAsync(PgTransaction tx, List<LeasedReport> batch, CancellationToken ct)
    {
        var outcomes = new Outcome<AppliedTransition>[batch.Count];
        // Which of these tasks blocked tasks wait for does not depend on the moves: asked with the rows, the moves then
        // carry the COMMIT when nothing is left to resolve after them.
        var (rows, waitedOn) = await tx.LoadByIdsWithAwaitedAsync(batch.Select(r => r.TaskId).Distinct(StringComparer.Ordinal).ToArray(), ct);
        var writes = new List<PgWrite>(batch.Count);
        var writeOf = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            writeOf[i] = -1;
            var report = batch[i];
            if (!rows.TryGetValue(report.TaskId, out var row))
            {
                outcomes[i] = OperationError.NotFound(report.TaskId);
                continue;
            }

            if (TaskMoves.CheckLease(row.Task, report.LeaseToken, tx.Now) is { } refused)
            {
                outcomes[i] = refused;
                continue;
            }

            var move = report.Decide(row.Task, tx.Now);
            rows[report.TaskId] = (row.Seq, move.Task); // a second report of the same task in this batch sees this one's move
            writeOf[i] = writes.Count;
            writes.Add(new PgWrite(row.Seq, move, report.Actor ?? row.Task.Lease?.WorkerId, report.Reason));
        }

        if (writes.Count == 0)
        {
            return outcomes;
        }

        var awaited = writes.Where(w => w.Move.Task.State.IsTerminal() && waitedOn.Contains(w.Seq)).Select(w => w.Seq).ToHashSet();
        await tx.ApplyManyAsync(writes, ct, commit: awaited.Count == 0 && !writes.Exists(w => w.Move.Task.State == TaskState.Blocked));
        for (var i = 0; i < batch.Count; i++)
        {
            if (writeOf[i] >= 0 && writes[writeOf[i]] is var write)
            {
                outcomes[i] = awaited.Contains(write.Seq) || write.Move.Task.State == TaskState.Blocked
                    ? await tx.ResolveAfterAsync(write.Seq, write.Move, batch[i].ResultTtlMs, ct)
                    : write.Move;
            }
        }

        return outcomes;
    }

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "A batch of {Count} worker reports failed ({Problem}); applying them one by one")]
    private static partial void LogBatchSplit(ILogger logger, int count, string problem);

    /// <summary>A worker's completion or failure of a task it holds the lease of, waiting for its batch.</summary>
    private sealed record LeasedReport(
        string TaskId, long LeaseToken, string? Actor, string? Reason, long ResultTtlMs, Func<TaskRecord, DateTimeOffset, AppliedTransition> Decide)
    {
        public TaskCompletionSource<Outcome<AppliedTransition>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
