using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Core;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Tests;

/// <summary>How the meter's instruments read in Prometheus text: their kinds, names and help, and series that go.</summary>
public sealed class PrometheusMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Instruments_ExportedAsTheirKinds_WithConventionalNamesAndPlainHelp()
    {
        using var metrics = new PrometheusMetrics(Meters);
        var meter = Meters.Create(SwitchyardMeter.Name);
        meter.CreateCounter<long>("jobs.done", "{job}", "Jobs done").Add(2, new KeyValuePair<string, object?>("queue", "q"));
        meter.CreateHistogram<double>("jobs.wait", "s", "Time jobs waited").Record(0.25);
        meter.CreateObservableCounter("jobs.seen", () => 7L, "{job}", "Jobs seen");
        meter.CreateObservableGauge("jobs.held", () => 3, null, "Jobs held");

        var text = await ScrapeAsync(metrics);

        Assert.Contains("# HELP switchyard_jobs_done_total Jobs done\n# TYPE switchyard_jobs_done_total counter\nswitchyard_jobs_done_total{queue=\"q\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_jobs_wait_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_jobs_wait_seconds_count 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_jobs_seen_total counter\nswitchyard_jobs_seen_total 7\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE switchyard_jobs_held gauge\nswitchyard_jobs_held 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObservedGauge_SeriesNoLongerReported_GoneAtTheNextScrape()
    {
        using var metrics = new PrometheusMetrics(Meters);
        var meter = Meters.Create(SwitchyardMeter.Name);
        var lags = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 };
        meter.CreateObservableGauge("subscriber.lag", () => lags.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("subscriber", l.Key))));
        Assert.Contains("switchyard_subscriber_lag{subscriber=\"b\"} 2", await ScrapeAsync(metrics), StringComparison.Ordinal);

        lags.Remove("b");
        var text = await ScrapeAsync(metrics);

        Assert.Contains("switchyard_subscriber_lag{subscriber=\"a\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("subscriber=\"b\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherFactorysMeter_NotExported()
    {
        using var metrics = new PrometheusMetrics(Meters);
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        other.GetRequiredService<IMeterFactory>().Create(SwitchyardMeter.Name).CreateCounter<long>("elsewhere").Add(1);

        Assert.DoesNotContain("elsewhere", await ScrapeAsync(metrics), StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(PrometheusMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, Ct);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
