using Switchyard.Core.Model;

namespace Switchyard.Core.Storage;

/// <summary>
/// The refusals of an enqueue that names a task it cannot find, worded alike by every store. A task of the same batch
/// that its idempotency key replayed is not stored under its batch id: the refusal names the task it replayed, to name
/// instead.
/// </summary>
public static class EnqueueRefusals
{
    /// <summary><paramref name="task"/> names parent <paramref name="parentId"/>, which the store does not hold (or holds expired).</summary>
    public static OperationError ParentNotFound(TaskRecord task, string parentId, IReadOnlyList<TaskRecord> batch, IReadOnlyList<EnqueuedTask?> results) =>
        new(ErrorCodes.ValidationFailed,
            $"Task '{task.Id}' names parent '{parentId}', {Why(parentId, batch, results)}; nothing was stored.",
            new Dictionary<string, string[]> { ["parentId"] = [$"'{parentId}' was not found"] });

    /// <summary><paramref name="task"/> depends on <paramref name="id"/>, which the store does not hold (or holds expired).</summary>
    public static OperationError DependencyNotFound(TaskRecord task, string id, IReadOnlyList<TaskRecord> batch, IReadOnlyList<EnqueuedTask?> results) =>
        new(ErrorCodes.DependencyNotFound,
            $"Task '{task.Id}' depends on '{id}', {Why(id, batch, results)}; nothing was stored.",
            new Dictionary<string, string[]> { ["dependsOn"] = [$"'{id}' was not found"] });

    private static string Why(string id, IReadOnlyList<TaskRecord> batch, IReadOnlyList<EnqueuedTask?> results)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Id == id && results[i] is { Created: false } replayed)
            {
                return $"a task of this batch whose idempotency key replayed task '{replayed.Task.Id}' (so no task '{id}' was stored): name '{replayed.Task.Id}'";
            }
        }

        return "which does not exist or has expired";
    }
}
