using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// The scale-out store: every call is one read-committed transaction on the shared database. Rows a call moves are
/// locked first (<c>FOR UPDATE</c>), claims skip rows other nodes hold (<c>SKIP LOCKED</c>), and every move is a
/// compare-and-set on the expected state with its history row in the same transaction. With a <see cref="PgClusterBus"/>
/// the moves of each committed transaction are announced to every node right after its commit. A call whose connection fails before it
/// commits runs again once the database answers (a restart), for up to <see cref="OutageRetry"/>.
/// </summary>
/// <param name="holds">Where the claim path reports work its limits held back; null keeps the reports to itself (no waker).</param>
public sealed partial class PostgresTaskStore(
    PostgresDatabase database, TimeProvider time, ILogger<PostgresTaskStore> logger, ClaimHolds? holds = null, PgClusterBus? cluster = null)
    : ITaskStore
{
    /// <summary>How long a call keeps trying while the database is unreachable (it restarts, or fails over).</summary>
    public static readonly TimeSpan OutageRetry = TimeSpan.FromSeconds(30);

    private const int MaxAttempts = 5;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);
    private readonly ClaimHolds _holds = holds ?? new ClaimHolds();

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var applied = await PgMigrator.ApplyAsync(database, cancellationToken);
        LogOpened(logger, database.Options.Schema, applied);
    }

    public Task<Outcome<Lease>> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken) =>
        RunAsync<Outcome<Lease>>(async (tx, ct) =>
        {
            if (await tx.LoadByIdAsync(request.TaskId, ct) is not { } row)
            {
                return OperationError.NotFound(request.TaskId);
            }

            if (TaskMoves.CheckLease(row.Task, request.LeaseToken, tx.Now) is { } refused)
            {
                return refused;
            }

            var lease = TaskMoves.Renew(row.Task, request.LeaseMs, request.DefaultLeaseMs, tx.Now);
            await tx.UpdateAsync(row.Seq, row.Task with { Lease = lease, Progress = request.Progress ?? row.Task.Progress, UpdatedAt = tx.Now },
                TaskState.Running, ct);
            return lease;
        }, cancellationToken);

    public Task<Outcome<AppliedTransition>> CancelAsync(CancelRequest request, CancellationToken cancellationToken) =>
        MoveAsync(request.TaskId, TaskTrigger.Cancel, request.Actor, request.Reason, request.ResultTtlMs,
            (task, now) => TaskMoves.Cancel(task, request.ResultTtlMs, now), cancellationToken);

    public Task<Outcome<AppliedTransition>> RetryAsync(RetryRequest request, CancellationToken cancellationToken) =>
        MoveAsync(request.TaskId, TaskTrigger.Retry, request.Actor, request.Reason, request.ResultTtlMs,
            (task, now) => TaskMoves.Retry(task, now), cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction, again when PostgreSQL reports a serialization failure or deadlock.</summary>
    internal async Task<T> RunAsync<T>(Func<PgTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var outageStarted = 0L;
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            PgTransaction? tx = null;
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                tx = new PgTransaction(connection, transaction, TimeMs.Now(time));
                var result = await work(tx, cancellationToken);
                committing = true;
                if (!tx.Committed)
                {
                    await transaction.CommitAsync(cancellationToken);
                }

                if (cluster is not null && tx.Moves.Count > 0)
                {
                    cluster.Announce(tx.Moves);
                }

                return result;
            }
            catch (PostgresException ex) when (Transient(ex) && attempt < MaxAttempts)
            {
                LogRetried(logger, ex.SqlState, attempt);
            }
            catch (NpgsqlException ex) when (!committing && tx?.Committing != true && ex.IsTransient && !cancellationToken.IsCancellationRequested
                                             && Unreachable(ref outageStarted) < OutageRetry)
            {
                // Nothing was committed: the call runs again from the start once the database answers.
                LogUnreachable(logger, ex.Message, pause.TotalMilliseconds);
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>How long the database has been unreachable for this call, starting the count at the first failure.</summary>
    private static TimeSpan Unreachable(ref long since)
    {
        if (since == 0)
        {
            since = TimeProvider.System.GetTimestamp();
        }

        return TimeProvider.System.GetElapsedTime(since);
    }

    /// <summary>Worth running again: a deadlock, or another node storing the same idempotency key first (the rerun finds its task).</summary>
    private static bool Transient(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
        || (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "ix_tasks_idempotency");

    private async Task<Outcome<T>> RunRefusableAsync<T>(Func<PgTransaction, CancellationToken, Task<Outcome<T>>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(work, cancellationToken);
        }
        catch (PgRefusedException refused)
        {
            return refused.Error;
        }
    }

    private Task<Outcome<AppliedTransition>> MoveAsync(
        string taskId, TaskTrigger trigger, string? actor, string? reason, long resultTtlMs,
        Func<TaskRecord, DateTimeOffset, AppliedTransition> decide, CancellationToken cancellationToken) =>
        RunAsync<Outcome<AppliedTransition>>(async (tx, ct) =>
        {
            if (await tx.LoadByIdAsync(taskId, ct) is not { } row || row.Task.ResultExpiresAt <= tx.Now)
            {
                return OperationError.NotFound(taskId);
            }

            if (TaskMoves.CheckSource(row.Task, trigger) is { } illegal)
            {
                return illegal;
            }

            var move = decide(row.Task, tx.Now);
            return await tx.ApplyAndResolveAsync(row.Seq, move, actor, reason, resultTtlMs, ct) ?? move;
        }, cancellationToken);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Opened PostgreSQL store in schema {Schema}: {Migrations} migrations applied")]
    private static partial void LogOpened(ILogger logger, string schema, int migrations);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Transaction retried after {SqlState} (attempt {Attempt})")]
    private static partial void LogRetried(ILogger logger, string sqlState, int attempt);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "The database is unreachable ({Problem}); trying again in {PauseMs} ms")]
    private static partial void LogUnreachable(ILogger logger, string problem, double pauseMs);
}
