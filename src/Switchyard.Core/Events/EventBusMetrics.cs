using System.Diagnostics.Metrics;

namespace Switchyard.Core.Events;

/// <summary>
/// The bus's numbers, kept as plain counters (cheap on the publishing path) and reported through the
/// <c>Switchyard</c> meter: events published per type, subscribers, each subscriber's lag, subscribers dropped,
/// events lost to resumes, and delivery latency (publish to a reader taking it: the first event of each batch a
/// reader takes, its oldest).
/// </summary>
internal sealed class EventBusMetrics : IDisposable
{
    private readonly long[] _published = new long[TaskEventTypes.All.Count];
    private readonly Meter? _meter;
    private readonly Histogram<double>? _latency;
    private long _dropped;
    private long _lost;

    public EventBusMetrics(TaskEventHub hub, IMeterFactory? meters)
    {
        if (meters is null)
        {
            return;
        }

        _meter = meters.Create(SwitchyardMeter.Name);
        _meter.CreateObservableCounter("events.published", () => PublishedMeasurements(), "{event}", "Events published by the bus, per type");
        _meter.CreateObservableUpDownCounter("events.subscribers", () => hub.SubscriberCount, "{subscriber}", "Subscribers of the event bus");
        _meter.CreateObservableGauge("events.subscriber.lag", () => hub.Subscribers.Select(s => new Measurement<long>(s.Lag,
            new KeyValuePair<string, object?>("subscriber", s.Id), new KeyValuePair<string, object?>("transport", s.Transport))),
            "{event}", "Events waiting in the ring for each subscriber");
        _meter.CreateObservableCounter("events.dropped", () => DroppedSubscribers, "{subscriber}", "Subscribers dropped for falling more than the ring behind");
        _meter.CreateObservableCounter("events.lost", () => LostEvents, "{event}", "Events a resuming subscriber asked for that the ring no longer held");
        _latency = _meter.CreateHistogram<double>("events.delivery.latency", "s", "Time from publish to a subscriber taking the event");
    }

    public LatencyHistogram Latency { get; } = new();

    public long DroppedSubscribers => Interlocked.Read(ref _dropped);

    public long LostEvents => Interlocked.Read(ref _lost);

    public long PublishedOf(int typeIndex) => Interlocked.Read(ref _published[typeIndex]);

    public void Published(string type) => Interlocked.Increment(ref _published[TaskEventTypes.IndexOf(type)]);

    public void Delivered(TimeSpan latency, string transport)
    {
        Latency.Record(latency);
        _latency?.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("transport", transport));
    }

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public void Lost(long missed) => Interlocked.Add(ref _lost, missed);

    public void Dispose() => _meter?.Dispose();

    private IEnumerable<Measurement<long>> PublishedMeasurements() =>
        TaskEventTypes.All.Select((type, i) => new Measurement<long>(PublishedOf(i), new KeyValuePair<string, object?>("type", type)));
}
