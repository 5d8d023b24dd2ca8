using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests.Events;

public sealed class EventMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_WhileStreaming_ShowsSubscriberPublishedCountsAndLatency()
    {
        await using var server = await TestServer.StartAsync();
        await using var sse = await SseClient.OpenAsync(server, "?type=task.queued&queue=default");
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await sse.NextAsync();

        var stats = await server.Http.GetFromJsonAsync("/api/v1/events/stats", ContractsJsonContext.Default.EventStatsDto, Ct);

        Assert.Equal(65_536, stats!.Capacity);
        Assert.Equal(1, stats.Published["task.queued"]);
        var subscriber = Assert.Single(stats.Subscribers);
        Assert.Equal(("sse", "type=task.queued&queue=default", 1L), (subscriber.Transport, subscriber.Filter, subscriber.Delivered));
        Assert.True(stats.DeliveryLatency.Samples >= 1);
    }

    [Fact]
    public async Task Metrics_AfterEvents_PrometheusTextWithBusInstruments()
    {
        await using var server = await TestServer.StartAsync();
        await using var sse = await SseClient.OpenAsync(server);
        await server.SubmitAsync(new { type = "echo", payload = 1 });
        await sse.NextAsync();

        using var response = await server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("switchyard_events_published_total{type=\"task.queued\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_events_subscribers 1", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_events_subscriber_lag{subscriber=", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_events_delivery_latency_seconds_bucket{transport=\"sse\",le=", text, StringComparison.Ordinal);
        Assert.Contains("switchyard_events_dropped_total 0", text, StringComparison.Ordinal);
    }
}
