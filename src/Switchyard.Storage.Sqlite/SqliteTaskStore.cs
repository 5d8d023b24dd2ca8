using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The embedded store's engine path: every mutation is a command for the single writer thread.</summary>
/// <param name="holds">Where the claim path reports work its limits held back; null keeps the reports to itself (no waker).</param>
public sealed partial class SqliteTaskStore(
    SqliteDatabase database, TimeProvider time, ILogger<SqliteTaskStore> logger, ClaimHolds? holds = null) : ITaskStore, IControlStore
{
    private SqliteConnection? _connection;
    private WriterContext? _context;
    private SqliteWriter? _writer;
    private SqliteCheckpointer? _checkpointer;
    private IDisposable? _exclusive;

    /// <summary>
    /// Transactions committed and commands run since start (group commit shows as commands ≫ transactions), and how many
    /// of the transactions a caller ran itself while the writer was idle.
    /// </summary>
    public (long Transactions, long Commands, long RunByCallers) WriterStats =>
        (_writer?.Transactions ?? 0, _writer?.CommandsRun ?? 0, _writer?.RunByCallers ?? 0);

    /// <summary>
    /// Checkpoints of the write-ahead log run by the store's checkpoint thread, and by the writer itself once the log had
    /// grown to four steps; both zero when SQLite checkpoints on its own (<see cref="SqliteStoreOptions.BackgroundCheckpointFrames"/> 0).
    /// </summary>
    public (long Background, long OnWriter) CheckpointStats => _checkpointer?.Stats ?? (0, 0);

    /// <summary>The store's checkpoint thread, if it has one (see <see cref="CheckpointStats"/>).</summary>
    internal SqliteCheckpointer? Checkpointer => _checkpointer;

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return Task.CompletedTask;
        }

        _exclusive = database.LockExclusive();
        _connection = database.OpenWriter();
        var applied = Migrator.Apply(_connection);
        _context = new WriterContext(_connection, time, database.Counts, new ClaimControls(database.Counts, time, holds ?? new ClaimHolds()));
        _context.Reload();
        LogOpened(logger, database.Options.DatabasePath, applied, _context.Ready.Count, database.Options.Durability);
        if (!database.Tuned)
        {
            LogUntuned(logger);
        }

        if (database.Options.BackgroundCheckpointFrames > 0)
        {
            _checkpointer = SqliteCheckpointer.Start(_connection, database.OpenWriter, database.Options.BackgroundCheckpointFrames, logger);
        }

        _writer = new SqliteWriter(_connection, _context, database.Options.MaxCommandsPerTransaction, logger);
        _writer.Start();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _checkpointer?.Dispose();
        _checkpointer = null;
        _context?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _writer = null;
        database.ClearReaderPool(); // a closed store leaves no connection holding the file open
        _exclusive?.Dispose(); // last: the file is closed
        _exclusive = null;
    }

    public async Task<Outcome<EnqueueResult>> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await Writer.Run(context => Enqueue(context, request), cancellationToken);
        }
        catch (RefusedException refused)
        {
            return refused.Error;
        }
    }

    public Task<ClaimResult> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Claim(context, request), cancellationToken);

    public Task<Outcome<Lease>> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Heartbeat(context, request), cancellationToken);

    public Task<Outcome<AppliedTransition>> CompleteAsync(CompleteRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Leased(context, request.TaskId, request.LeaseToken, request.Actor, null, request.ResultTtlMs,
            (task, now) => TaskMoves.Complete(task, request.Result, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> FailAsync(FailRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Leased(context, request.TaskId, request.LeaseToken, request.Actor, request.Error.Message, request.ResultTtlMs,
            (task, now) => TaskMoves.Fail(task, request.Error, request.RetryAfterMs, request.JitterSample, request.ResultTtlMs, now)),
            cancellationToken);

    public Task<Outcome<AppliedTransition>> CancelAsync(CancelRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Move(context, request.TaskId, TaskTrigger.Cancel, request.Actor, request.Reason, request.ResultTtlMs,
            (task, now) => TaskMoves.Cancel(task, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> RetryAsync(RetryRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Move(context, request.TaskId, TaskTrigger.Retry, request.Actor, request.Reason, request.ResultTtlMs,
            (task, now) => TaskMoves.Retry(task, now)), cancellationToken);

    private SqliteWriter Writer => _writer ?? throw new InvalidOperationException("The store is not initialised: call InitializeAsync first.");

    private static Outcome<Lease> Heartbeat(WriterContext context, HeartbeatRequest request)
    {
        if (context.LoadById(request.TaskId) is not { } row)
        {
            return OperationError.NotFound(request.TaskId);
        }

        var now = context.Now;
        if (TaskMoves.CheckLease(row.Task, request.LeaseToken, now) is { } refused)
        {
            return refused;
        }

        var lease = TaskMoves.Renew(row.Task, request.LeaseMs, request.DefaultLeaseMs, now);
        context.Update(row.Seq, row.Task with { Lease = lease, Progress = request.Progress ?? row.Task.Progress, UpdatedAt = now }, TaskState.Running);
        return lease;
    }

    private static Outcome<AppliedTransition> Leased(
        WriterContext context, string taskId, long leaseToken, string? actor, string? reason, long resultTtlMs,
        Func<TaskRecord, DateTimeOffset, AppliedTransition> decide)
    {
        if (context.LoadById(taskId) is not { } row)
        {
            return OperationError.NotFound(taskId);
        }

        var now = context.Now;
        if (TaskMoves.CheckLease(row.Task, leaseToken, now) is { } refused)
        {
            return refused;
        }

        var move = decide(row.Task, now);
        return context.ApplyAndResolve(row.Seq, move, actor ?? row.Task.Lease?.WorkerId, reason, resultTtlMs) ?? move;
    }

    private static Outcome<AppliedTransition> Move(
        WriterContext context, string taskId, TaskTrigger trigger, string? actor, string? reason, long resultTtlMs,
        Func<TaskRecord, DateTimeOffset, AppliedTransition> decide)
    {
        if (context.LoadById(taskId) is not { } row || row.Task.ResultExpiresAt <= context.Now)
        {
            return OperationError.NotFound(taskId);
        }

        if (TaskMoves.CheckSource(row.Task, trigger) is { } illegal)
        {
            return illegal;
        }

        var move = decide(row.Task, context.Now);
        return context.ApplyAndResolve(row.Seq, move, actor, reason, resultTtlMs) ?? move;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Opened SQLite store {Path}: {Migrations} migrations applied, {Ready} tasks ready, durability {Durability}")]
    private static partial void LogOpened(ILogger logger, string path, int migrations, long ready, Durability durability);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information,
        Message = "SQLite was initialized before the store opened, so it keeps its per-connection mutexes and memory statistics: slower, equally correct")]
    private static partial void LogUntuned(ILogger logger);
}
