using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// Group commit for plain submits (tasks with no idempotency key, parent or dependencies, in requests of a few tasks):
/// they queue here, and one flow stores all that are waiting in one transaction. Under load the batch grows while the
/// previous one commits; a lone submit still goes at once.
/// <para>
/// A batch goes first in one round trip: one statement inserts every task with its history row unless one of the
/// batch's queues has a stored length limit, and the <c>COMMIT</c> travels with it. When a limit stopped it, or an id was
/// taken (which fails the statement, so nothing commits), the batch goes the careful way: one statement reads the
/// stored limits, one inserts the tasks of the requests that no limit concerns, one commits. A request whose queue has
/// a length limit, or that shares a task id with an earlier one of the batch, is stored alone afterwards (the limit is
/// checked under its queue's lock); if a batch fails as a whole, its requests run again one by one, so an error (a
/// task id already taken) reaches only the caller it belongs to.
/// </para>
/// </summary>
public sealed partial class PostgresTaskStore
{
    /// <summary>Largest request (in tasks) that joins a batch; a bigger one is a batch by itself already.</summary>
    public const int MaxTasksPerBatchedSubmit = 16;

    /// <summary>Most tasks one submit transaction stores.</summary>
    public const int MaxTasksPerSubmitTransaction = 1_000;

    private PgGroupCommit<PendingSubmit>? _submitCommit;

    private PgGroupCommit<PendingSubmit> Submits => LazyInitializer.EnsureInitialized(ref _submitCommit,
        () => new PgGroupCommit<PendingSubmit>(StoreAsync, s => s.Request.Tasks.Count, MaxTasksPerSubmitTransaction));

    /// <summary>Whether <paramref name="request"/> may be stored together with others: its tasks need nothing but an insert.</summary>
    private static bool IsPlain(EnqueueRequest request) =>
        request.Tasks.Count is > 0 and <= MaxTasksPerBatchedSubmit
        && request.Tasks.All(t => t.IdempotencyKey is null && t.ParentId is null && t.DependsOn.Count == 0 && t.State != TaskState.Blocked)
        && request.Tasks.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() == request.Tasks.Count;

    private async Task<Outcome<EnqueueResult>> SubmitInBatchAsync(EnqueueRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingSubmit(request);
        return Submits.TryPost(pending)
            ? await pending.Done.Task.WaitAsync(cancellationToken)
            : await EnqueueAloneAsync(request, cancellationToken); // the store is closing: no batches any more
    }

    private async Task StoreAsync(List<PendingSubmit> batch)
    {
        List<PendingSubmit> alone;
        try
        {
            (var together, alone) = await TryStoreAtOnceAsync(batch) ?? await RunAsync((tx, ct) => StoreAsync(tx, batch, ct), CancellationToken.None);
            foreach (var submit in together)
            {
                var tasks = submit.Request.Tasks;
                submit.Done.TrySetResult(new EnqueueResult(
                    tasks.Select(t => new EnqueuedTask(t, true)).ToArray(),
                    tasks.Select(t => new AppliedTransition(t, null, TaskTrigger.Submit)).ToList()));
            }
        }
        catch (PgRefusedException refused) when (batch.Count == 1)
        {
            batch[0].Done.TrySetResult(refused.Error);
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            if (ex is not PgRefusedException)
            {
                LogSubmitBatchSplit(logger, batch.Count, ex.Message);
            }

            alone = batch;
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }

        foreach (var submit in alone)
        {
            try
            {
                submit.Done.TrySetResult(await EnqueueAloneAsync(submit.Request, CancellationToken.None));
            }
            catch (Exception ex)
            {
                submit.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// Stores the whole batch in one round trip (see the class summary); null when it has to go the careful way: a
    /// configured length limit applies to one of its requests, two requests share a task id, it holds more tasks than one
    /// statement inserts, its requests come from different actors, a queue has a stored length limit, or an id is taken.
    /// </summary>
    private async Task<(List<PendingSubmit> Together, List<PendingSubmit> Alone)?> TryStoreAtOnceAsync(List<PendingSubmit> batch)
    {
        var tasks = batch.SelectMany(b => b.Request.Tasks).ToArray();
        if (tasks.Length > PgBulkInsert.MaxRows
            || batch.Any(b => b.Request.Tasks.Any(t => b.Request.MaxLengthOf(t.Queue, null) is not null))
            || batch.Select(b => b.Request.Actor).Distinct(StringComparer.Ordinal).Count() > 1
            || tasks.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() < tasks.Length)
        {
            return null;
        }

        var guarded = batch.Where(b => b.Request.StoredLengthsApply)
            .SelectMany(b => b.Request.Tasks.Select(t => t.Queue)).Distinct(StringComparer.Ordinal).ToArray();
        var actor = batch[0].Request.Actor;
        var runs = 0;
        try
        {
            var stored = await RunAsync((tx, ct) =>
            {
                runs++;
                return tx.InsertAtOnceAsync(tasks, actor, guarded, ct);
            }, CancellationToken.None);
            return stored ? (batch, []) : null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Nothing was committed by this run. A run before it that lost its connection may have committed, though:
            // then the ids are taken by this very batch, which is stored. Otherwise the careful way names the taken id.
            return runs > 1 && await RunAsync((tx, ct) => tx.FindEarlierSubmitAsync(tasks, actor, ct), CancellationToken.None)
                ? (batch, [])
                : null;
        }
    }

    /// <summary>
    /// Stores the batch's requests that need no check under a lock, and says which those were; the others are to be
    /// stored alone. A task id already taken throws (<see cref="PgRefusedException"/>) and nothing is stored.
    /// </summary>
    private static async Task<(List<PendingSubmit> Together, List<PendingSubmit> Alone)> StoreAsync(PgTransaction tx, List<PendingSubmit> batch, CancellationToken ct)
    {
        var stored = await StoredLengthsAsync(tx, batch.SelectMany(b => b.Request.Tasks.Select(t => t.Queue)).Distinct(StringComparer.Ordinal), ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var together = new List<PendingSubmit>(batch.Count);
        var alone = new List<PendingSubmit>();
        foreach (var submit in batch)
        {
            var request = submit.Request;
            var limited = request.Tasks.Any(t => request.MaxLengthOf(t.Queue, stored.TryGetValue(t.Queue, out var own) ? own : null) is not null);
            if (limited || request.Tasks.Any(t => ids.Contains(t.Id)))
            {
                alone.Add(submit);
                continue;
            }

            ids.UnionWith(request.Tasks.Select(t => t.Id));
            together.Add(submit);
        }

        foreach (var byActor in together.GroupBy(s => s.Request.Actor))
        {
            await InsertOrRefuseAsync(tx, byActor.SelectMany(s => s.Request.Tasks).ToArray(), byActor.Key, ct);
        }

        return (together, alone);
    }

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "A batch of {Count} submits failed ({Problem}); storing them one by one")]
    private static partial void LogSubmitBatchSplit(ILogger logger, int count, string problem);

    /// <summary>A plain submit waiting for its batch.</summary>
    private sealed record PendingSubmit(EnqueueRequest Request)
    {
        public TaskCompletionSource<Outcome<EnqueueResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
