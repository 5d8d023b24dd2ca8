using System.Diagnostics.Metrics;
using Switchyard.Core;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Gauges read at each scrape of <c>/metrics</c>: the tasks of every queue per state (from the store, so on a
/// cluster every node reports the whole cluster's queues) and the push workers connected to this node per protocol.
/// The queue counts are read before the scrape (<see cref="RefreshAsync"/>), as a gauge's callback cannot wait.
/// </summary>
internal sealed class ServerMetrics
{
    private readonly TaskBroker _broker;
    private volatile IReadOnlyList<QueueStats> _queues = [];

    public ServerMetrics(IMeterFactory meters, TaskBroker broker, PushDispatcher dispatcher)
    {
        _broker = broker;
        var meter = meters.Create(SwitchyardMeter.Name); // disposed with the factory
        meter.CreateObservableGauge("queue.tasks", () => _queues.SelectMany(q => q.Counts.Where(c => c.Value > 0).Select(c => new Measurement<long>(c.Value,
                new KeyValuePair<string, object?>("queue", q.Queue), new KeyValuePair<string, object?>("state", c.Key.ToName())))),
            "{task}", "Tasks of each queue per state (the whole store)");
        meter.CreateObservableGauge("workers.connected", () => dispatcher.Sessions.GroupBy(s => s.Spec.Protocol)
                .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("protocol", g.Key))),
            "{worker}", "Push workers connected to this node, per protocol");
    }

    /// <summary>How long a scrape waits for the queue counts before it reports the last ones read.</summary>
    public static readonly TimeSpan RefreshBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads the queue counts the next collection reports. When the store cannot answer in time (the database is away)
    /// the last counts stand, so that a scrape still reports this node's own metrics (cluster, workers, moves) then.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(RefreshBound);
        try
        {
            _queues = await _broker.QueueStatsAsync(bounded.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                   && ex is OperationCanceledException or TimeoutException or System.Data.Common.DbException)
        {
            // The last counts stand.
        }
    }
}
