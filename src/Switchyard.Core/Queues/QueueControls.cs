using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Queues;

/// <summary>
/// Reads and changes queue settings (pause, resume, limits, weights) through the store, keeps this node's
/// <see cref="QueueSettingsView"/> in step, and wakes the claimers after a change (resumed work goes out at once). In a
/// cluster a change is announced, and the other nodes read the settings again.
/// </summary>
public sealed class QueueControls(IControlStore store, QueueSettingsView view, TaskBroker broker) : IClusterCache
{
    public async Task LoadAsync(CancellationToken cancellationToken) =>
        view.Replace(await store.ListQueueSettingsAsync(cancellationToken));

    public Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<QueueSettings> GetAsync(string queue, CancellationToken cancellationToken) =>
        (await store.ListQueueSettingsAsync(cancellationToken)).FirstOrDefault(s => s.Queue == queue) ?? QueueSettings.Default(queue);

    public Task<IReadOnlyList<QueueSettings>> ListAsync(CancellationToken cancellationToken) => store.ListQueueSettingsAsync(cancellationToken);

    /// <summary>The queue's effective length limit: its stored one (0 = none), else the configured one.</summary>
    public int? MaxLengthOf(QueueSettings settings) => TaskAdmission.MaxQueueLengthOf(settings, settings.Queue, broker.Options);

    public async Task<Outcome<QueueSettings>> UpdateAsync(string queue, QueueSettingsPatch patch, string? actor, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(queue))
        {
            return OperationError.Validation("queue", $"'{queue}' {Names.Rule}");
        }

        if (patch.Check() is { } problem)
        {
            return problem;
        }

        var updated = await store.UpdateQueueSettingsAsync(new UpdateQueueSettingsRequest(queue, patch, actor), cancellationToken);
        view.Set(updated);
        broker.Cluster.SendControlsChanged();
        broker.WorkArrived.Pulse();
        return updated;
    }
}
