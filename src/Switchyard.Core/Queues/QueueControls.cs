using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Core.Queues;

/// <summary>
/// Reads and changes queue settings (pause, resume, limits, weights) through the store, and wakes the claimers after a
/// change (resumed work goes out at once). Nothing is cached: the store reads the settings where it enforces them (in
/// the claim and submit transactions), so a change through any node applies to the next claim and submit of every node;
/// in a cluster the change is announced so the other nodes wake their claimers too.
/// </summary>
public sealed class QueueControls(IControlStore store, TaskBroker broker) : IClusterCache
{
    /// <summary>Another node changed queue settings: nothing to read again, but held work may go now.</summary>
    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        broker.WorkArrived.Pulse();
        return Task.CompletedTask;
    }

    public async Task<QueueSettings> GetAsync(string queue, CancellationToken cancellationToken) =>
        (await store.ListQueueSettingsAsync(cancellationToken)).FirstOrDefault(s => s.Queue == queue) ?? QueueSettings.Default(queue);

    public Task<IReadOnlyList<QueueSettings>> ListAsync(CancellationToken cancellationToken) => store.ListQueueSettingsAsync(cancellationToken);

    /// <summary>The queue's effective length limit: its stored one (0 = none), else the configured one.</summary>
    public int? MaxLengthOf(QueueSettings settings) => QueueSettings.LengthLimit(settings.MaxLength, broker.Options.MaxQueueLengthOf(settings.Queue));

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
        broker.Cluster.SendControlsChanged();
        broker.WorkArrived.Pulse();
        return updated;
    }
}
