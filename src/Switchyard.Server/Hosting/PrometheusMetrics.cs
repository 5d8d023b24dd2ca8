using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;
using Switchyard.Core;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Exposes this node's <c>Switchyard</c> meter in Prometheus text format (served at <c>/metrics</c>) with a registry of
/// its own: only this server's instruments, none of the process's or another server's in the same process. Each
/// instrument becomes the Prometheus kind it is (prometheus-net's own meter adapter exports every counter as a gauge
/// and puts .NET type names in the help): a counter is a <c>counter</c> named <c>…_total</c>, a histogram in seconds is
/// named <c>…_seconds</c>, the rest are gauges. An observed instrument's series that its last observation did not
/// report (a subscriber that left) are dropped at the scrape.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    /// <summary>Latency buckets in seconds: 50 µs doubling up to ~6.5 s.</summary>
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.00005, 2, 18);

    private static readonly Comparison<KeyValuePair<string, object?>> ByKey = (a, b) => string.CompareOrdinal(a.Key, b.Key);

    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, Export> _exports = new();
    private readonly Lock _observing = new();
    private volatile bool _disposed;

    public PrometheusMetrics(IMeterFactory meters)
    {
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SwitchyardMeter.Name && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(Observe);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    /// <summary>The Prometheus name of an instrument: <c>switchyard_</c>, its name with <c>_</c> for <c>.</c>, and the kind's suffix.</summary>
    private static string NameOf(Instrument instrument) =>
        Clean($"{instrument.Meter.Name}_{instrument.Name}").ToLowerInvariant() + KindOf(instrument) switch
        {
            Kind.Counter => "_total",
            Kind.Histogram when instrument.Unit == "s" => "_seconds",
            _ => string.Empty,
        };

    /// <summary>What an instrument is in Prometheus' terms: counters and observed counters only go up.</summary>
    private static Kind KindOf(Instrument instrument) => instrument switch
    {
        Counter<int> or Counter<long> or Counter<double> or ObservableCounter<int> or ObservableCounter<long> or ObservableCounter<double> => Kind.Counter,
        Histogram<int> or Histogram<long> or Histogram<double> => Kind.Histogram,
        _ => Kind.Gauge,
    };

    /// <summary>Reads the observed instruments (a scrape), then drops the series they no longer report.</summary>
    private void Observe()
    {
        if (_disposed)
        {
            return;
        }

        lock (_observing)
        {
            var observed = _exports.Values.Where(e => e.Observed).ToArray();
            foreach (var export in observed)
            {
                export.Seen.Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (var export in observed)
            {
                var gauge = (Gauge)export.Collector;
                foreach (var gone in gauge.GetAllLabelValues().Where(v => !export.Seen.Contains(SeriesKey(v))).ToArray())
                {
                    gauge.RemoveLabelled(gone);
                }
            }
        }
    }

    private void Record<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var sorted = tags.ToArray();
        if (sorted.Length > 1)
        {
            Array.Sort(sorted, ByKey);
        }

        if (!_exports.TryGetValue(instrument, out var export))
        {
            export = _exports.GetOrAdd(instrument, Create, sorted);
        }

        if (sorted.Length != export.Collector.LabelNames.Length)
        {
            return; // a measurement with other tags than the instrument's first: it has no series to go in
        }

        var values = new string[sorted.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = sorted[i].Value?.ToString() ?? string.Empty;
        }

        var value = measurement.ToDouble(System.Globalization.CultureInfo.InvariantCulture);
        switch (instrument)
        {
            case Counter<T>:
                ((Counter)export.Collector).WithLabels(values).Inc(value);
                break;
            case ObservableCounter<T>:
                ((Counter)export.Collector).WithLabels(values).IncTo(value);
                break;
            case UpDownCounter<T>:
                ((Gauge)export.Collector).WithLabels(values).Inc(value);
                break;
            case Histogram<T>:
                ((Histogram)export.Collector).WithLabels(values).Observe(value);
                break;
            default: // observable gauges and up-down counters: the value now
                ((Gauge)export.Collector).WithLabels(values).Set(value);
                break;
        }

        if (export.Observed)
        {
            export.Seen.Add(SeriesKey(values));
        }
    }

    private Export Create(Instrument instrument, KeyValuePair<string, object?>[] tags)
    {
        var labels = tags.Select(t => Clean(t.Key)).ToArray();
        var name = NameOf(instrument);
        var help = instrument.Description ?? instrument.Name;
        Collector collector = KindOf(instrument) switch
        {
            Kind.Counter => _factory.CreateCounter(name, help, labels),
            Kind.Histogram => _factory.CreateHistogram(name, help, labels, new HistogramConfiguration { Buckets = LatencyBuckets }),
            _ => _factory.CreateGauge(name, help, labels),
        };
        return new Export(collector, instrument.IsObservable && collector is Gauge);
    }

    private enum Kind
    {
        Counter,
        Histogram,
        Gauge,
    }

    /// <summary>One series' label values as one string, for <see cref="Export.Seen"/>.</summary>
    private static string SeriesKey(IEnumerable<string> labelValues) => string.Join('\u0001', labelValues);

    private static string Clean(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    /// <summary>An instrument's collector; <paramref name="Observed"/> for an observed gauge, whose unreported series go.</summary>
    private sealed record Export(Collector Collector, bool Observed)
    {
        /// <summary>The label values (joined) an observation reported during the current scrape.</summary>
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }
}
