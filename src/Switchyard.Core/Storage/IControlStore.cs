using Switchyard.Core.Queues;
using Switchyard.Core.Types;

namespace Switchyard.Core.Storage;

/// <summary>
/// The control side of a store: task type definitions and queue settings, persisted. A store enforces what they
/// limit (per-type concurrency, paused queues, running and rate limits, fairness weights) in its claim path, so each
/// write here takes effect on the next claim.
/// </summary>
public interface IControlStore
{
    /// <summary>Every stored task type, ordered by name.</summary>
    Task<IReadOnlyList<TaskTypeDefinition>> ListTaskTypesAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces one task type; returns it as stored (with its update time).</summary>
    Task<TaskTypeDefinition> PutTaskTypeAsync(PutTaskTypeRequest request, CancellationToken cancellationToken);

    /// <summary>Removes one task type; false when there was none.</summary>
    Task<bool> DeleteTaskTypeAsync(DeleteTaskTypeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the stored types of source <see cref="TaskTypeSource.File"/> exactly <see cref="SyncTaskTypesRequest.Definitions"/>
    /// (others of that source are removed; an API-made type of the same name is replaced), in one transaction.
    /// </summary>
    Task<IReadOnlyList<TaskTypeDefinition>> SyncTaskTypesAsync(SyncTaskTypesRequest request, CancellationToken cancellationToken);

    /// <summary>The stored settings of every queue that has some, ordered by queue.</summary>
    Task<IReadOnlyList<QueueSettings>> ListQueueSettingsAsync(CancellationToken cancellationToken);

    /// <summary>Applies a partial update to one queue's settings (defaults when none are stored) atomically; returns the result.</summary>
    Task<QueueSettings> UpdateQueueSettingsAsync(UpdateQueueSettingsRequest request, CancellationToken cancellationToken);
}
