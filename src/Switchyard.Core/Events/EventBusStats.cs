namespace Switchyard.Core.Events;

/// <summary>A snapshot of the bus: its ring, what it published, its subscribers and how fast they are served.</summary>
public sealed record EventBusStats(
    int Capacity,
    long FirstSeq,
    long LastSeq,
    long OldestSeq,
    IReadOnlyDictionary<string, long> Published,
    long DroppedSubscribers,
    long LostEvents,
    LatencyStats DeliveryLatency,
    IReadOnlyList<SubscriberStats> Subscribers)
{
    internal static EventBusStats Of(TaskEventHub hub)
    {
        var metrics = hub.Metrics;
        var latency = metrics.Latency;
        return new EventBusStats(
            hub.Capacity,
            hub.FirstSeq,
            hub.LastSeq,
            hub.OldestSeq,
            TaskEventTypes.All.Select((type, i) => (type, count: metrics.PublishedOf(i))).ToDictionary(x => x.type, x => x.count, StringComparer.Ordinal),
            metrics.DroppedSubscribers,
            metrics.LostEvents,
            new LatencyStats(latency.Count, latency.QuantileMs(0.5), latency.QuantileMs(0.99), latency.MaxMs),
            hub.Subscribers.OrderBy(s => s.Id)
                .Select(s => new SubscriberStats(s.Id, s.Transport, s.Filter.ToString(), s.ConnectedAt, s.Lag, s.Delivered))
                .ToArray());
    }
}
