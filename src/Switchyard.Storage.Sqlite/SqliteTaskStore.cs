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

    /// <summary>Transactions committed and commands run since start (group commit shows as commands ≫ transactions).</summary>
    public (long Transactions, long Commands) WriterStats => (_writer?.Transactions ?? 0, _writer?.CommandsRun ?? 0);

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return Task.CompletedTask;
        }

        _connection = database.OpenWriter();
        var applied = Migrator.Apply(_connection);
        _context = new WriterContext(_connection, time, database.Counts, new ClaimControls(database.Counts, time, holds ?? new ClaimHolds()));
        _context.Reload();
        LogOpened(logger, database.Options.DatabasePath, applied, _context.Ready.Count, database.Options.Durability);
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

        _context?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _writer = null;
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
        Writer.Run(context => Leased(context, request.TaskId, request.LeaseToken, request.Actor, null,
            (task, now) => TaskMoves.Complete(task, request.Result, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> FailAsync(FailRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Leased(context, request.TaskId, request.LeaseToken, request.Actor, request.Error.Message,
            (task, now) => TaskMoves.Fail(task, request.Error, request.RetryAfterMs, request.JitterSample, request.ResultTtlMs, now)),
            cancellationToken);

    public Task<Outcome<AppliedTransition>> CancelAsync(CancelRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Move(context, request.TaskId, TaskTrigger.Cancel, request.Actor, request.Reason,
            (task, now) => TaskMoves.Cancel(task, request.ResultTtlMs, now)), cancellationToken);

    public Task<Outcome<AppliedTransition>> RetryAsync(RetryRequest request, CancellationToken cancellationToken) =>
        Writer.Run(context => Move(context, request.TaskId, TaskTrigger.Retry, request.Actor, request.Reason,
            (task, now) => TaskMoves.Retry(task, now)), cancellationToken);

    private SqliteWriter Writer => _writer ?? throw new InvalidOperationException("The store is not initialised: call InitializeAsync first.");

    private static Outcome<EnqueueResult> Enqueue(WriterContext context, EnqueueRequest request)
    {
        var results = new EnqueuedTask[request.Tasks.Count];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keys = new Dictionary<(string, string), int>();
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var expired = new List<(long Seq, TaskRecord Task)>();
        var now = context.Now;
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            var task = request.Tasks[i];
            if (task.IdempotencyKey is { } key)
            {
                if (keys.TryGetValue((task.Scope, key), out var first))
                {
                    results[i] = new EnqueuedTask(request.Tasks[first], false);
                    continue;
                }

                if (context.LoadByIdempotencyKey(task.Scope, key) is { } existing)
                {
                    if (existing.Task.ResultExpiresAt is not { } expiresAt || expiresAt > now)
                    {
                        results[i] = new EnqueuedTask(existing.Task, false);
                        continue;
                    }

                    expired.Add(existing); // its result expired: the key is free again
                }

                keys[(task.Scope, key)] = i;
            }

            if (!ids.Add(task.Id))
            {
                return new OperationError(ErrorCodes.DuplicateId, $"Task id '{task.Id}' appears twice in the batch.");
            }

            added[task.Queue] = added.GetValueOrDefault(task.Queue) + 1;
        }

        foreach (var (queue, count) in added)
        {
            if (request.MaxQueueLengths.TryGetValue(queue, out var limit) && context.Counts.Waiting(queue) + count > limit)
            {
                return new OperationError(ErrorCodes.QueueFull,
                    $"Queue '{queue}' is full: it holds {context.Counts.Waiting(queue)} waiting tasks of at most {limit}; nothing was stored.");
            }
        }

        foreach (var (seq, _) in expired)
        {
            context.Delete(seq);
        }

        var inserted = new List<(long Seq, TaskRecord Task)>();
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            if (results[i] is not null)
            {
                continue;
            }

            var task = request.Tasks[i];
            inserted.Add((InsertOrRefuse(context, task, request.Actor), task));
            results[i] = new EnqueuedTask(task, true);
        }

        foreach (var (_, task) in expired)
        {
            context.Counts.Add(task.Queue, task.State, -1);
        }

        foreach (var (seq, task) in inserted)
        {
            context.Track(seq, task);
        }

        return new EnqueueResult(results, inserted.Select(t => new AppliedTransition(t.Task, null, TaskTrigger.Submit)).ToArray());
    }

    private static long InsertOrRefuse(WriterContext context, TaskRecord task, string? actor)
    {
        try
        {
            return context.Insert(task, actor);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new RefusedException(new OperationError(ErrorCodes.DuplicateId,
                $"A task with id '{task.Id}' already exists; nothing was stored."));
        }
    }

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

        var lease = row.Task.Lease! with
        {
            ExpiresAt = now.AddMilliseconds(TaskMoves.LeaseLength(row.Task, request.LeaseMs, request.DefaultLeaseMs)),
        };
        context.Update(row.Seq, row.Task with { Lease = lease, Progress = request.Progress ?? row.Task.Progress, UpdatedAt = now }, TaskState.Running);
        return lease;
    }

    private static Outcome<AppliedTransition> Leased(
        WriterContext context, string taskId, long leaseToken, string? actor, string? reason,
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
        context.Apply(row.Seq, move, actor ?? row.Task.Lease?.WorkerId, reason);
        return move;
    }

    private static Outcome<AppliedTransition> Move(
        WriterContext context, string taskId, TaskTrigger trigger, string? actor, string? reason,
        Func<TaskRecord, DateTimeOffset, AppliedTransition> decide)
    {
        if (context.LoadById(taskId) is not { } row || row.Task.ResultExpiresAt <= context.Now)
        {
            return OperationError.NotFound(taskId);
        }

        if (!TaskTransitions.SourcesOf(trigger).Contains(row.Task.State))
        {
            return new OperationError(ErrorCodes.IllegalTransition,
                $"Task '{taskId}' is {row.Task.State.ToName()}; '{trigger.ToEventName()}' applies only to " +
                $"{string.Join(", ", TaskTransitions.SourcesOf(trigger).Select(s => s.ToName()))} tasks.");
        }

        var move = decide(row.Task, context.Now);
        context.Apply(row.Seq, move, actor, reason);
        return move;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Opened SQLite store {Path}: {Migrations} migrations applied, {Ready} tasks ready, durability {Durability}")]
    private static partial void LogOpened(ILogger logger, string path, int migrations, long ready, Durability durability);
}
