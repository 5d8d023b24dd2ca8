using Microsoft.Data.Sqlite;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Submission: all tasks of a request or none, with their dependency edges and parent links.</summary>
public sealed partial class SqliteTaskStore
{
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
            if (request.MaxLengthOf(queue, context.Controls.Limits.SettingsOf(queue).MaxLength) is { } limit && context.Counts.Waiting(queue) + count > limit)
            {
                return new OperationError(ErrorCodes.QueueFull,
                    $"Queue '{queue}' is full: it holds {context.Counts.Waiting(queue)} waiting tasks of at most {limit}; nothing was stored.");
            }
        }

        foreach (var (seq, _) in expired)
        {
            context.Delete(seq);
        }

        var inserted = new List<(long Seq, TaskRecord Task, int Index)>();
        var seqOf = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < request.Tasks.Count; i++)
        {
            if (results[i] is not null)
            {
                continue;
            }

            var task = WithParent(context, request.Tasks, results, i, now);
            var seq = InsertOrRefuse(context, task, request.Actor);
            inserted.Add((seq, task, i));
            seqOf[task.Id] = seq;
            results[i] = new EnqueuedTask(task, true);
        }

        foreach (var (seq, task, _) in inserted)
        {
            if (task.DependsOn.Count > 0)
            {
                context.InsertDependencies(seq, task.DependsOn.Select(id => DependencySeq(context, seqOf, task, id, now, request, results)));
            }
        }

        foreach (var (_, task) in expired)
        {
            context.Counts.Add(task.Queue, task.State, -1);
        }

        var transitions = new List<AppliedTransition>(inserted.Count);
        foreach (var (seq, task, _) in inserted)
        {
            context.Track(seq, task);
            transitions.Add(new AppliedTransition(task, null, TaskTrigger.Submit));
        }

        // Tasks whose dependencies were all done (or one already failed) move on at once, in the same transaction.
        foreach (var (seq, _, index) in inserted.Where(t => t.Task.State == TaskState.Blocked))
        {
            if (context.ResolveBlocked(seq, request.ResultTtlMs) is { } move)
            {
                transitions.Add(move);
                results[index] = new EnqueuedTask(move.Task, true);
            }
        }

        return new EnqueueResult(results, transitions);
    }

    /// <summary>
    /// The task with its parent's correlation id, once the parent (stored by this batch, or before) is known to exist.
    /// A task of the batch that its idempotency key replayed is not stored by it, so it is no parent by its batch id.
    /// </summary>
    private static TaskRecord WithParent(WriterContext context, IReadOnlyList<TaskRecord> batch, EnqueuedTask?[] results, int index, DateTimeOffset now)
    {
        var task = batch[index];
        if (task.ParentId is not { } parentId || batch.Where((_, j) => results[j]?.Created != false).Any(t => t.Id == parentId))
        {
            return task; // a parent of the same batch was linked by Flows.Link
        }

        if (context.LoadById(parentId) is not { } parent || parent.Task.ResultExpiresAt <= now)
        {
            throw new RefusedException(EnqueueRefusals.ParentNotFound(task, parentId, batch, results));
        }

        return Flows.InheritFrom(task, parent.Task);
    }

    private static long DependencySeq(
        WriterContext context, Dictionary<string, long> batch, TaskRecord task, string id, DateTimeOffset now, EnqueueRequest request, EnqueuedTask?[] results)
    {
        if (batch.TryGetValue(id, out var seq))
        {
            return seq;
        }

        if (context.LoadById(id) is { } stored && !(stored.Task.ResultExpiresAt <= now))
        {
            return stored.Seq;
        }

        throw new RefusedException(EnqueueRefusals.DependencyNotFound(task, id, request.Tasks, results));
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
}
