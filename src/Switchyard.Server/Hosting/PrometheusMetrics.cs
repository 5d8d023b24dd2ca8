using System.Diagnostics.Metrics;
using Prometheus;
using Switchyard.Core;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Exposes this node's <c>Switchyard</c> meter in Prometheus text format (served at <c>/metrics</c>) through
/// prometheus-net's meter adapter, with a registry of its own: only this server's instruments, none of the process's
/// or another server's in the same process.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    /// <summary>Latency buckets in seconds: 50 µs doubling up to ~6.5 s.</summary>
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.00005, 2, 18);

    private readonly IDisposable _adapter;

    public PrometheusMetrics(IMeterFactory meters)
    {
        Registry = Metrics.NewCustomRegistry();
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = i => i.Meter.Name == SwitchyardMeter.Name && ReferenceEquals(i.Meter.Scope, meters),
            ResolveHistogramBuckets = _ => LatencyBuckets,
        });
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
